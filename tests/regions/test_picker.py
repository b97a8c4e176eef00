import re

import pytest
from django import forms
from django.urls import reverse

from naikkelas.regions.forms import RegionField, ReloadableFormMixin
from tests.registry.factories import CATURTUNGGAL

pytestmark = pytest.mark.django_db


class PlaceForm(ReloadableFormMixin, forms.Form):
    name = forms.CharField()
    village = RegionField(label="Lokasi")


class AreaForm(forms.Form):
    region = RegionField(required=False, min_level=2, max_level=4)


def _cascade(province="", regency="", district="", village="", **extra):
    return {
        "village_province": province,
        "village_regency": regency,
        "village_district": district,
        "village_village": village,
        **extra,
    }


def _options(html: str, select_name: str) -> list[str]:
    match = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no select named {select_name}"
    return re.findall(r'<option value="([^"]*)"', match.group(1))


def test_region_field_cleans_a_full_cascade_to_the_village():
    form = PlaceForm(_cascade("34", "34.04", "34.04.07", CATURTUNGGAL, name="Warung"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"].code == CATURTUNGGAL


def test_region_field_takes_a_village_picked_from_search_over_the_selects():
    form = PlaceForm(_cascade("33", name="Warung", village_found=CATURTUNGGAL))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["village"].code == CATURTUNGGAL


def test_region_field_rejects_a_cascade_stopped_before_the_village_in_indonesian():
    form = PlaceForm(_cascade("34", "34.04", name="Warung"))
    assert not form.is_valid()
    assert form.errors["village"] == ["Pilih sampai desa/kelurahan."]


def test_region_field_requires_a_place_in_indonesian():
    form = PlaceForm(_cascade(name="Warung"))
    assert not form.is_valid()
    assert form.errors["village"] == ["Pilih desa/kelurahan."]


@pytest.mark.parametrize(
    "data",
    [
        _cascade("34", "33.74", "33.74.01", "33.74.01.1001"),  # the regency is not in the province
        _cascade("34", "34.04", "34.04.07", "34.71.01.1001"),  # the village is not in the district
        _cascade(village_found="99.99.99.9999"),  # no such village
        _cascade(village_found="<script>"),
    ],
)
def test_region_field_rejects_places_that_do_not_hang_together(data):
    form = PlaceForm({**data, "name": "Warung"})
    assert not form.is_valid()
    assert "village" in form.errors
    assert "village" not in form.cleaned_data


def test_region_field_for_a_filter_accepts_any_level_down_from_its_minimum():
    assert AreaForm({"region_province": "34", "region_regency": "34.04"}).is_valid()
    shallow = AreaForm({"region_province": "34"})
    assert not shallow.is_valid()
    assert shallow.errors["region"] == ["Pilih sampai kabupaten/kota."]
    empty = AreaForm({})
    assert empty.is_valid() and empty.cleaned_data["region"] is None


def test_picker_first_shows_only_the_provinces():
    html = str(PlaceForm()["village"])
    assert len(_options(html, "village_province")) == 1 + 38
    assert _options(html, "village_regency") == [""]
    assert re.search(r'<select[^>]*name="village_regency"[^>]*disabled', html)


def test_picker_shows_the_next_level_once_a_level_is_chosen_and_never_a_huge_list():
    form = PlaceForm(initial=PlaceForm(_cascade("34", "34.04", "34.04.07")).reload_initial())
    html = str(form["village"])
    assert len(_options(html, "village_regency")) == 1 + 5
    assert len(_options(html, "village_district")) == 1 + 17
    villages = _options(html, "village_village")
    assert CATURTUNGGAL in villages
    assert html.count("<option") < 200


def test_picker_drops_a_stale_lower_choice_when_the_province_changes():
    html = str(PlaceForm(initial=PlaceForm(_cascade("33", "34.04", "34.04.07")).reload_initial())["village"])
    assert 'value="34.04" selected' not in html
    assert len(_options(html, "village_regency")) > 1
    assert _options(html, "village_district") == [""]


def test_picker_search_step_lists_matching_villages_as_choices():
    form = PlaceForm(_cascade(name="Warung", village_q="caturtunggal", village_step="cari"))
    assert form.reload_requested()
    html = str(PlaceForm(initial=form.reload_initial())["village"])
    assert f'name="village_found" value="{CATURTUNGGAL}"' in html
    assert "Caturtunggal, Depok, Sleman, DI Yogyakarta" in html


def test_picker_applies_a_search_pick_to_the_selects_on_the_next_step():
    form = PlaceForm(_cascade(village_q="caturtunggal", village_found=CATURTUNGGAL, village_step="lanjut"))
    html = str(PlaceForm(initial=form.reload_initial())["village"])
    assert f'value="{CATURTUNGGAL}" selected' in html
    assert 'value="34.04.07" selected' in html
    assert 'name="village_found"' not in html


def test_picker_shows_a_stored_village_as_its_whole_path():
    html = str(PlaceForm(initial={"village": CATURTUNGGAL})["village"])
    for code in ("34", "34.04", "34.04.07", CATURTUNGGAL):
        assert f'value="{code}" selected' in html
    assert "Terpilih: Caturtunggal, Depok, Sleman, DI Yogyakarta" in html


def test_picker_uses_its_script_file_and_no_inline_script():
    form = PlaceForm()
    html = str(form["village"])
    assert "<script" not in html
    assert "js/region-picker.js" in str(form.media)


def test_a_bound_form_without_the_step_button_is_not_a_reload():
    assert not PlaceForm(_cascade("34", name="Warung")).reload_requested()
    assert not PlaceForm().reload_requested()


# The endpoints the script calls.


def test_children_endpoint_gives_provinces_without_a_parent_as_json(client):
    response = client.get(reverse("regions:children"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 38
    assert {"code": "34", "name": "Daerah Istimewa Yogyakarta"} in items


def test_children_endpoint_gives_a_regions_children_as_options_and_caches_them(client):
    response = client.get(reverse("regions:children"), {"induk": "34.04.07"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<option value="{CATURTUNGGAL}">Caturtunggal</option>' in body
    assert "max-age=86400" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_children_endpoint_answers_an_unknown_parent_with_an_empty_list(client):
    response = client.get(reverse("regions:children"), {"induk": "99.99", "format": "json"})
    assert response.status_code == 200
    assert response.json()["items"] == []


def test_search_endpoint_labels_each_village_with_the_places_above_it(client):
    response = client.get(reverse("regions:search"), {"q": "caturtunggal", "format": "json"})
    assert response.status_code == 200
    assert {"code": CATURTUNGGAL, "label": "Caturtunggal, Depok, Sleman, DI Yogyakarta"} in response.json()["results"]


def test_search_endpoint_finds_nothing_for_a_short_query(client):
    response = client.get(reverse("regions:search"), {"q": "ca", "format": "json"})
    assert response.json()["results"] == []


def test_region_endpoints_refuse_writes(client):
    assert client.post(reverse("regions:children")).status_code == 405
    assert client.post(reverse("regions:search")).status_code == 405
