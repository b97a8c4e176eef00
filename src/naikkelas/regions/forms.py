"""The region picker: a form field whose widget is four small cascading selects plus a search box.

It never sends a list of 83,762 villages. Without JavaScript it works as a sequence of short steps: choose the
province and press "Lanjut", and the form comes back with that province's regencies, and so on (or type a
village name, press "Cari", and pick from the matches). `static/js/region-picker.js` turns the same markup
into a live cascade and a search-as-you-type list, using `regions:children` and `regions:search`.

Posted names, for a field called `village`:
    village_province, village_regency, village_district, village_village   the four selects
    village_q                                                             the search box
    village_found                                                         a village picked from the matches
    village_step                                                          the "Lanjut"/"Cari" reload button
A pick from the search matches wins over the selects, because it is what the person did last.

Views reload a form whose step button was pressed without validating it (see `ReloadableFormMixin`).
"""

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from naikkelas.regions.models import Region
from naikkelas.regions.selectors import region_children, region_label, region_path, region_search

LEVEL_KEYS = ("province", "regency", "district", "village")
LEVEL_LABELS = {
    "province": _("Provinsi"),
    "regency": _("Kabupaten/Kota"),
    "district": _("Kecamatan"),
    "village": _("Desa/Kelurahan"),
}
STEP_SUFFIX = "_step"


def _chain(parts: dict, max_level: int) -> list[Region]:
    """The chosen regions, top down, kept only while each one lies inside the one above it (a person who
    changes the province without JavaScript leaves a stale regency behind, which is dropped here)."""
    codes = [parts.get(key) or "" for key in LEVEL_KEYS[:max_level]]
    wanted = [code for code in codes if code]
    if not wanted:
        return []
    known = {r.code: r for r in Region.objects.filter(code__in=wanted).select_related("parent__parent__parent")}
    chain: list[Region] = []
    for level, code in enumerate(codes, start=1):
        region = known.get(code)
        if region is None or region.level != level:
            break
        if chain and region.parent_id != chain[-1].code:
            break
        chain.append(region)
    return chain


def _found(parts: dict, max_level: int) -> Region | None:
    code = parts.get("found") or ""
    if not code:
        return None
    region = Region.objects.select_related("parent__parent__parent").filter(code=code).first()
    if region is None or region.level > max_level:
        return None
    return region


def resolve(value, *, max_level: int = 4) -> Region | None:
    """The region a picker value stands for: a Region, a code, or the posted parts (a dict)."""
    if value is None or value == "":
        return None
    if isinstance(value, Region):
        return value
    if isinstance(value, str):
        region = Region.objects.select_related("parent__parent__parent").filter(code=value).first()
        return region if region is not None and region.level <= max_level else None
    found = _found(value, max_level)
    if found is not None:
        return found
    chain = _chain(value, max_level)
    return chain[-1] if chain else None


class RegionPickerWidget(forms.Widget):
    template_name = "regions/widgets/region_picker.html"

    class Media:
        js = ["js/region-picker.js"]

    def __init__(self, *, max_level: int = 4, attrs=None):
        self.max_level = max_level
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        parts = {key: (data.get(f"{name}_{key}") or "").strip()[:13] for key in LEVEL_KEYS}
        parts["q"] = (data.get(f"{name}_q") or "").strip()[:100]
        parts["found"] = (data.get(f"{name}_found") or "").strip()[:13]
        parts["step"] = f"{name}{STEP_SUFFIX}" in data
        return parts

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}_{key}" in data for key in (*LEVEL_KEYS, "q", "found"))

    def id_for_label(self, id_):
        return f"{id_}_{LEVEL_KEYS[0]}" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, None, attrs)
        parts = value if isinstance(value, dict) else {}
        # A pick from the matches (or a stored code) becomes the chosen path in the selects.
        picked = _found(parts, self.max_level) if parts else resolve(value, max_level=self.max_level)
        chain = region_path(picked) if picked is not None else _chain(parts, self.max_level)
        query = parts.get("q", "")
        matches = []
        if query and picked is None:
            matches = [
                {"code": r.code, "label": region_label(r)}
                for r in region_search(query)
                if r.level <= self.max_level
            ]
        base_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        levels = []
        for index, key in enumerate(LEVEL_KEYS[: self.max_level]):
            available = index == 0 or len(chain) >= index
            parent = chain[index - 1].code if index and available else None
            options = list(region_children(parent)) if available else []
            levels.append(
                {
                    "key": key,
                    "name": f"{name}_{key}",
                    "id": f"{base_id}_{key}",
                    "label": LEVEL_LABELS[key],
                    "options": options,
                    "selected": chain[index].code if len(chain) > index else "",
                    "available": available,
                }
            )
        context["picker"] = {
            "name": name,
            "id": base_id,
            "levels": levels,
            "q": query,
            "q_name": f"{name}_q",
            "found_name": f"{name}_found",
            "step_name": f"{name}{STEP_SUFFIX}",
            "matches": matches,
            "searched": bool(query) and picked is None and parts.get("step", False),
            "chosen_label": region_label(chain[-1]) if chain else "",
            "max_level": self.max_level,
            "required": self.is_required,
        }
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # Rendered with the project's template engine (the form renderer only sees app template folders).
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class RegionField(forms.Field):
    """A region picked down to `min_level`..`max_level` (4 = a village, the default). Cleans to a Region."""

    widget = RegionPickerWidget
    default_error_messages = {
        "required": _("Pilih desa/kelurahan."),
        "invalid": _("Wilayah tidak dikenali. Pilih dari daftar."),
        "too_shallow": _("Pilih sampai %(level)s."),
    }

    def __init__(self, *, min_level: int = 4, max_level: int = 4, **kwargs):
        self.min_level = min_level
        self.max_level = max_level
        kwargs.setdefault("widget", RegionPickerWidget(max_level=max_level))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.code
        return value

    def _has_input(self, value) -> bool:
        if isinstance(value, dict):
            return any(value.get(key) for key in (*LEVEL_KEYS, "found"))
        return bool(value)

    def to_python(self, value):
        if not self._has_input(value):
            return None
        region = resolve(value, max_level=self.max_level)
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return region

    def validate(self, value):
        super().validate(value)
        if value is not None and value.level < self.min_level:
            raise forms.ValidationError(
                self.error_messages["too_shallow"],
                code="too_shallow",
                params={"level": LEVEL_LABELS[LEVEL_KEYS[self.min_level - 1]].lower()},
            )

    def has_changed(self, initial, data):
        before = resolve(initial, max_level=self.max_level)
        after = resolve(data, max_level=self.max_level) if self._has_input(data) else None
        return (before.code if before else None) != (after.code if after else None)


class ReloadableFormMixin:
    """For forms with reload buttons (the region picker's "Lanjut"/"Cari"): such a press asks for the next
    step of the form, not for it to be saved, so the view shows it again unvalidated and without errors."""

    def reload_requested(self) -> bool:
        return self.is_bound and any(key.endswith(STEP_SUFFIX) for key in self.data)

    def reload_initial(self) -> dict:
        """What was typed so far, as `initial` for an unbound copy of the form."""
        return {
            name: field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            for name, field in self.fields.items()
        }
