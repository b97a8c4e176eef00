"""Synthetic shops and what they sell: product names, prices, stock and units an Indonesian UMKM would list.

Pure Python: give it the synthetic businesses (as `Seller`s, in the order they were generated), a seed and,
if wanted, the total number of products; it yields one `Shop` per business that opens a storefront, with its
profile (tagline, opening hours) and its products as plain dicts with the fields of `catalog.Product`. The
same arguments give the same shops, on any machine (only `random.Random(seed)` draws).

Who opens a shop: a business whose readiness includes an online catalogue (the registry's "catalogue" step)
almost always does, others rarely. How many products: a log-normal by size class. Both are assumptions, see
docs/DATA.md. When a total is asked for, shops are taken in a seeded random order until it is reached, and
if every candidate shop together has too few products, each shop's count is scaled up.

What a shop sells follows its KBLI kelompok (a keripik maker sells keripik, a laundry sells laundry by the
kilo), from the catalogues below; prices are whole rupiah rounded the way shops round them (Rp 12.500,
Rp 35.000, Rp 1.250.000).
"""

import itertools
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from string import Formatter
from typing import NamedTuple

from naikkelas.synth.businesses import SynthError

# ASSUMPTION: the share of businesses that open a storefront, by whether they already show a catalogue
# online (the readiness step): most of those that do, a few of the others.
SHOP_IF_CATALOGUE = 0.9
SHOP_OTHERWISE = 0.03
# ASSUMPTION: products listed per shop, log-normal by size class: (median, sigma, most).
PRODUCTS_PER_SHOP = {"micro": (8, 0.7, 60), "small": (20, 0.6, 150), "medium": (45, 0.6, 300)}
# A shop selling services lists fewer things than one selling goods.
SERVICE_SHOP_FACTOR = 0.5
# ASSUMPTION: shares of listed products that are hidden by the owner, and of stocked products sold out.
HIDDEN_SHARE = 0.04
SOLD_OUT_SHARE = 0.06
# ASSUMPTION: units on hand of a stocked product, log-normal: median and sigma, at most STOCK_MOST.
STOCK_MEDIAN = 15
STOCK_SIGMA = 1.0
STOCK_MOST = 500
# Products were listed over the last year (days before the data's "now").
LISTED_WITHIN_DAYS = 365
# ASSUMPTION: a fifth of shops have not filled in their opening hours.
NO_HOURS_SHARE = 0.2

ALL_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
MON_SAT = ALL_DAYS[:6]
MON_FRI = ALL_DAYS[:5]


def _hours(*spans: tuple[list[str], str, str]) -> list[dict]:
    return [{"days": days, "opens": opens, "closes": closes} for days, opens, closes in spans]


# Opening hours by the kind of place, as schema.org day codes (ShopProfile.opening_hours).
HOURS = {
    "shop": (
        _hours((MON_SAT, "08:00", "17:00")),
        _hours((MON_SAT, "08:00", "20:00"), (["Su"], "09:00", "14:00")),
        _hours((ALL_DAYS, "07:00", "21:00")),
        _hours((MON_SAT, "09:00", "16:00")),
    ),
    "warung": (
        _hours((ALL_DAYS, "06:00", "21:00")),
        _hours((MON_SAT, "10:00", "22:00")),
        _hours((ALL_DAYS, "07:00", "15:00")),
    ),
    "night": (_hours((ALL_DAYS, "17:00", "01:00")), _hours((ALL_DAYS, "18:00", "02:00"))),
    "market": (_hours((ALL_DAYS, "05:00", "12:00")), _hours((MON_SAT, "05:30", "10:00"))),
    "office": (
        _hours((MON_FRI, "08:00", "16:00"), (["Sa"], "08:00", "12:00")),
        _hours((MON_SAT, "09:00", "17:00")),
    ),
    "home": (_hours((MON_SAT, "08:00", "16:00")), _hours((ALL_DAYS, "08:00", "20:00"))),
}

class P(NamedTuple):
    """A slot value with its own price range (and weight in grams, if it differs from the item's)."""

    label: str
    low: int
    high: int
    weight: int | None = None


class S(NamedTuple):
    """A slot value that scales the item's price and weight: a pack size, a sack, a number of guests."""

    label: str
    factor: float


# Values for the {slots} in product names: plain words, P (priced) or S (scaled).
SLOTS: dict[str, tuple[str | P | S, ...]] = {
    "keripik": ("Pisang", "Singkong", "Talas", "Ubi Ungu", "Tempe", "Sukun", "Nangka", "Bayam", "Jamur Tiram",
                "Kentang", "Salak", "Gadung", "Apel", "Usus Ayam"),
    "rasa": ("Manis", "Pedas", "Balado", "Original", "Asin Gurih", "Pedas Manis", "Keju", "Jagung Bakar",
             "Bawang Putih", "Rumput Laut"),
    "kerupuk": ("Udang", "Ikan Tenggiri", "Bawang", "Rambak Kulit Sapi", "Puli", "Gendar", "Singkong Pedas",
                "Kulit Ikan", "Ikan Lele", "Terung"),
    "peyek": ("Kacang Tanah", "Teri", "Kedelai", "Udang Rebon", "Kacang Hijau", "Bayam"),
    "pack": (S("100 gr", 0.45), S("250 gr", 1.0), S("500 gr", 1.9)),
    "bakpia": ("Kacang Hijau", "Keju", "Cokelat", "Kumbu Hitam", "Durian", "Ubi Ungu", "Green Tea",
               "Kacang Merah", "Nanas"),
    "isi": (S("isi 10", 0.55), S("isi 15", 0.8), S("isi 20", 1.0)),
    "roti": ("Sobek Cokelat", "Tawar Gandum", "Manis Keju", "Abon Sapi", "Pisang Cokelat", "Kasur Susu",
             "Sisir Mentega", "Unyil Aneka Rasa", "Gambang", "Kelapa"),
    "bolu": ("Pandan", "Kukus Mekar", "Gulung Keju", "Pisang", "Marmer", "Tape", "Ketan Hitam", "Jadul"),
    "kering": ("Nastar", "Kastengel", "Putri Salju", "Lidah Kucing", "Sagu Keju", "Kue Kacang", "Semprit"),
    "jajan": ("Klepon", "Lemper Ayam", "Nagasari", "Kue Lapis", "Getuk Lindri", "Wajik", "Cenil", "Lupis",
              "Serabi Kocor", "Dadar Gulung", "Risoles Ragout", "Arem-arem", "Kue Lumpur", "Apem", "Mendut"),
    "tart": (S("16", 1.0), S("18", 1.2), S("20", 1.45), S("22", 1.7), S("24", 2.0)),
    "tempe": ("Bungkus Daun", "Papan Kedelai Lokal", "Gembus", "Mendoan Mentah isi 10", "Kedelai Hitam",
              "Bungkus Plastik"),
    "tahu": ("Putih isi 10", "Kuning isi 10", "Bacem isi 10", "Goreng isi 20", "Pong isi 20", "Sutra"),
    "susu": ("Original", "Cokelat", "Stroberi", "Pandan", "Jahe"),
    "sambal": ("Bawang", "Terasi", "Ijo", "Roa", "Cumi Asin", "Teri Medan", "Bajak", "Tuna Asap", "Matah",
               "Dabu-dabu", "Bawang Goreng Pedas", "Belut"),
    "level": ("Tidak Pedas", "Sedang", "Pedas", "Ekstra Pedas"),
    "frozen": ("Nugget Ayam", "Dimsum Ayam isi 20", "Risoles Ragout isi 10", "Pempek Kapal Selam",
               "Bakso Sapi 500 gr", "Siomay Ikan isi 25", "Sosis Ayam", "Cireng Isi isi 20", "Tahu Bakso isi 10",
               "Lumpia Rebung isi 10", "Kebab Mini isi 10"),
    "abon": ("Sapi", "Ayam", "Ikan Tuna", "Lele", "Jantung Pisang"),
    "motif": ("Kawung", "Parang Rusak", "Parang Barong", "Truntum", "Sidomukti", "Sido Asih", "Sekar Jagad",
              "Ceplok", "Lereng", "Mega Mendung", "Nitik", "Tambal", "Grompol", "Semen Rama", "Wahyu Tumurun",
              "Srikaton", "Udan Liris"),
    "warna": ("Sogan", "Biru Indigo", "Merah Marun", "Hijau Botol", "Hitam Putih", "Cokelat Soga", "Ungu"),
    "lengan": ("Panjang", "Pendek"),
    "blangkon": ("Yogyakarta", "Solo", "Mondolan"),
    "ukuran": ("S", "M", "L", "XL", "XXL"),
    "kaos": ("Polos Katun Combed 30s", "Sablon Jogja", "Oblong Anak", "Sablon Aksara Jawa", "Lengan Panjang",
             "Kerah Polo"),
    "kemeja": ("Flanel", "Linen", "Koko Pria", "Kerja Pria", "Tenun Lurik", "Oxford"),
    "gamis": ("Katun Rayon", "Ceruti", "Jersey", "Brokat", "Wolfis", "Syari"),
    "hijab": ("Voal Motif", "Polos", "Paris", "Bella Square", "Pashmina Ceruti", "Instan Bergo"),
    "mukena": ("Katun Jepang", "Rayon Bali", "Parasut Travel", "Renda Bordir", "Anak"),
    "celana": ("Kulot", "Chino Pria", "Cargo", "Jeans Pria", "Training", "Sarung Celana"),
    "jaket": ("Hoodie Polos", "Parasut", "Jeans", "Bomber", "Varsity"),
    "seragam": ("SD", "SMP", "SMA", "Pramuka", "Batik Kantor", "Kerja Lapangan"),
    "daster": ("Rayon Motif Bunga", "Kelelawar", "Busui", "Batik Cap", "Jumbo"),
    "jahit": ("Kebaya", "Kemeja", "Gamis", "Seragam", "Celana Panjang", "Rok"),
    "bahan": ("Pandan", "Mendong", "Eceng Gondok", "Rotan", "Bambu", "Lidi"),
    "diameter": (S("40", 1.0), S("50", 1.3), S("60", 1.7), S("70", 2.1)),
    "besek": (S("isi 10", 1.0), S("isi 25", 2.3), S("isi 50", 4.3)),
    "kap": ("Gantung", "Meja", "Dinding", "Bulat"),
    "gerabah": (P("Vas Bunga", 50_000, 250_000), P("Pot Tanah Liat", 15_000, 75_000),
        P("Guci Hias", 150_000, 600_000), P("Celengan Ayam", 15_000, 40_000), P("Tungku", 35_000, 75_000),
        P("Kendi", 25_000, 60_000), P("Cobek", 15_000, 40_000)),
    "topeng": ("Panji", "Klana", "Bapang", "Gunungsari", "Sekartaji"),
    "tokoh": ("Arjuna", "Semar", "Gatotkaca", "Srikandi", "Bima", "Petruk", "Gareng", "Kresna", "Hanoman"),
    "miniatur": ("Becak Kayu", "Andong", "Vespa Kayu", "Sepeda Onthel", "Tugu Jogja"),
    "gantungan": ("Wayang", "Tugu Jogja", "Batik", "Blangkon Mini", "Nama Custom"),
    "ukir": ("Jati Kaligrafi", "Relief Panel", "Patung Loro Blonyo", "Hiasan Dinding Jati", "Kotak Perhiasan"),
    "perak": ("Cincin Filigri", "Bros Filigri", "Kalung Liontin", "Anting Tusuk", "Gelang Ukir"),
    "kursi": (P("Jati Minimalis", 450_000, 1_200_000), P("Teras Bambu", 250_000, 700_000),
        P("Makan Mahoni", 300_000, 800_000), P("Goyang Rotan", 500_000, 1_500_000),
        P("Tamu Set Jati", 3_000_000, 9_000_000)),
    "meja": (P("Makan Jati 6 Kursi", 4_000_000, 12_000_000), P("Belajar Anak", 250_000, 700_000),
        P("Kopi Trembesi", 1_000_000, 4_000_000), P("Rias Minimalis", 700_000, 2_000_000),
        P("Kerja Mahoni", 600_000, 1_800_000)),
    "lemari": (P("Pakaian 2 Pintu", 1_500_000, 3_500_000), P("Pakaian 3 Pintu", 2_500_000, 5_500_000),
        P("Hias Jati", 3_000_000, 9_000_000), P("Dapur", 1_200_000, 3_500_000)),
    "rak": (P("Buku Kayu Pinus", 150_000, 450_000), P("Sepatu 4 Susun", 120_000, 350_000),
        P("Dinding Minimalis", 75_000, 250_000), P("TV Jati", 900_000, 3_000_000)),
    "dipan": (P("Jati 160x200", 2_500_000, 6_000_000), P("Mahoni 180x200", 2_000_000, 4_500_000),
        P("Anak Susun", 2_000_000, 4_000_000), P("Sungkai 120x200", 1_200_000, 2_500_000)),
    "kopi": ("Robusta Menoreh", "Arabika Merapi", "Robusta Temanggung", "Arabika Gayo", "Lanang", "Robusta Dampit"),
    "gram": (S("100 gr", 0.45), S("200 gr", 0.85), S("250 gr", 1.0), S("500 gr", 1.9), S("1 kg", 3.6)),
    "kopisusu": ("Gula Aren", "Pandan", "Original", "Karamel", "Regal", "Rum"),
    "seduh": ("Tubruk", "V60 Arabika", "Vietnam Drip", "Joss", "Hitam Robusta"),
    "teh": ("Manis", "Lemon", "Leci", "Tawar", "Tarik", "Susu"),
    "buah": ("Alpukat", "Mangga", "Jambu", "Sirsak", "Jeruk", "Buah Naga", "Melon", "Wortel", "Semangka"),
    "wedang": ("Jahe", "Ronde", "Uwuh", "Secang", "Bajigur", "Sekoteng"),
    "gudeg": ("Komplit", "Telur", "Ayam Suwir", "Krecek", "Paha Ayam"),
    "nasi": ("Pecel", "Rames", "Goreng Kampung", "Sayur Lodeh", "Campur", "Oseng Mercon", "Liwet", "Uduk"),
    "soto": ("Ayam", "Sapi", "Kudus", "Lenthok", "Babat"),
    "bakso": ("Urat", "Halus", "Beranak", "Mercon", "Telur", "Tetelan"),
    "mie": ("Biasa", "Bakso", "Pangsit", "Ceker", "Jamur"),
    "ayam": ("Geprek Sambal Bawang", "Goreng Kremes", "Bakar Madu", "Penyet", "Goreng Lengkuas", "Ungkep"),
    "sate": (P("Ayam 10 Tusuk", 18_000, 30_000), P("Klathak", 25_000, 40_000),
        P("Kambing 10 Tusuk", 30_000, 50_000), P("Usus", 2_000, 3_000), P("Telur Puyuh", 2_500, 4_000),
        P("Kere", 2_000, 3_000)),
    "bakmi": ("Godhog", "Goreng", "Nyemek", "Magelangan"),
    "gorengan": ("Tempe Mendoan", "Bakwan", "Tahu Isi", "Pisang Goreng", "Tahu Susur", "Cireng"),
    "kucing": ("Sambal Teri", "Oseng Tempe", "Bandeng", "Sambal Bawang"),
    "kotak": ("Ayam Bakar", "Rendang", "Gudeg", "Rames", "Ayam Goreng Kalasan", "Ikan Bakar"),
    "tumpeng": ("Nasi Kuning", "Nasi Uduk", "Nasi Liwet", "Nasi Gurih"),
    "orang": (S("10", 1.0), S("20", 1.8), S("30", 2.5), S("50", 4.0)),
    "beras": ("Rojolele", "Pandan Wangi", "Setra Ramos", "Mentik Wangi", "IR 64", "Merah Organik", "Mentik Susu"),
    "karung": (S("5 kg", 1.0), S("10 kg", 1.95), S("25 kg", 4.7)),
    "sayur": ("Bayam", "Kangkung", "Sawi Hijau", "Daun Singkong", "Kemangi", "Daun Pepaya", "Kacang Panjang"),
    "bumbu": (P("Cabai Rawit Merah", 40_000, 90_000), P("Cabai Keriting", 30_000, 70_000),
        P("Bawang Merah", 30_000, 45_000), P("Bawang Putih", 35_000, 45_000), P("Tomat", 8_000, 16_000),
        P("Wortel", 10_000, 16_000), P("Kentang", 14_000, 22_000), P("Buncis", 10_000, 18_000),
        P("Kol", 6_000, 12_000)),
    "takaran": (S("1/4 kg", 0.25), S("1/2 kg", 0.5), S("1 kg", 1.0)),
    "buah_kg": (P("Salak Pondoh", 10_000, 18_000), P("Jeruk Manis", 18_000, 30_000),
        P("Alpukat Mentega", 25_000, 40_000), P("Buah Naga Merah", 20_000, 35_000),
        P("Pepaya California", 10_000, 16_000), P("Mangga Arumanis", 20_000, 35_000),
        P("Jambu Kristal", 18_000, 30_000), P("Rambutan", 12_000, 25_000)),
    "bibit": (P("Cabai Rawit", 2_000, 4_000), P("Tomat", 2_000, 4_000), P("Terong", 2_000, 4_000),
        P("Jeruk Nipis", 15_000, 35_000), P("Kelengkeng", 35_000, 90_000), P("Alpukat", 30_000, 75_000),
        P("Durian Montong", 50_000, 150_000)),
    "ikan": (P("Lele", 20_000, 28_000), P("Nila Merah", 30_000, 40_000), P("Gurami", 45_000, 65_000),
        P("Bawal", 35_000, 45_000), P("Patin", 25_000, 35_000), P("Mas", 35_000, 45_000)),
    "jamu": ("Kunyit Asam", "Beras Kencur", "Temulawak", "Sinom", "Paitan", "Cabe Puyang", "Gula Asam"),
    "botol": (S("250 ml", 1.0), S("600 ml", 2.2), S("1 liter", 3.5)),
    "lulur": ("Bengkoang", "Kopi", "Beras", "Temulawak", "Susu", "Mangir"),
    "sabun": ("Sereh", "Kopi", "Daun Sirih", "Kunyit", "Arang Bambu"),
    "urut": ("Sereh", "Kayu Putih", "Gandapura", "Jahe Merah"),
    "pulsa": (P("5.000", 6_500, 7_000), P("10.000", 11_500, 12_500), P("20.000", 21_000, 22_000),
        P("25.000", 26_000, 27_000), P("50.000", 50_500, 52_000), P("100.000", 99_000, 101_000)),
    "kuota": (P("2 GB", 10_000, 20_000), P("5 GB", 25_000, 40_000), P("10 GB", 45_000, 70_000),
        P("25 GB", 80_000, 120_000), P("50 GB", 130_000, 180_000)),
    "hp": ("Silikon Bening", "Anti Crack", "Motif Batik", "Kulit Flip", "Softcase Karakter"),
    "kabel": ("USB-C", "Micro USB", "Lightning", "USB-C ke USB-C"),
    "semen": (P("Portland 40 kg", 55_000, 68_000, 40_000), P("Portland 50 kg", 65_000, 80_000, 50_000),
        P("Putih 1 kg", 10_000, 15_000, 1_000), P("Instan Acian 25 kg", 90_000, 130_000, 25_000)),
    "cat": (P("Tembok Putih 5 kg", 60_000, 120_000, 5_000), P("Tembok Warna 5 kg", 80_000, 180_000, 5_000),
        P("Kayu dan Besi 1 kg", 45_000, 90_000, 1_000), P("Genteng 5 kg", 90_000, 160_000, 5_000),
        P("Pelapis Anti Bocor 4 kg", 120_000, 250_000, 4_000)),
    "pipa": (P("PVC 1/2 inci", 20_000, 35_000, 800), P("PVC 3/4 inci", 25_000, 40_000, 1_000),
        P("PVC 2 inci", 45_000, 80_000, 2_500), P("PVC 3 inci", 70_000, 130_000, 4_000)),
    "bangunan": (P("Paku Kayu 1 kg", 18_000, 25_000, 1_000), P("Kawat Bendrat 1 kg", 20_000, 28_000, 1_000),
        P("Batu Bata Merah per 1000", 600_000, 900_000, None), P("Genteng Tanah Sokka", 2_500, 4_500, 2_000),
        P("Keramik Lantai 40x40 per Dus", 55_000, 90_000, 17_000),
        P("Pasir Merapi per Pikap", 300_000, 500_000, None), P("Besi Beton 10 mm", 60_000, 85_000, 7_400)),
    "atk": (P("Buku Tulis 38 Lembar isi 10", 25_000, 45_000, 1_000), P("Pulpen Hitam 1 Pak", 20_000, 35_000, 150),
        P("Pensil 2B 1 Lusin", 20_000, 40_000, 100), P("Map Plastik isi 10", 10_000, 20_000, 300),
        P("Kertas HVS A4 1 Rim", 45_000, 65_000, 2_500), P("Spidol Papan Tulis", 7_000, 12_000, 20),
        P("Penghapus Karet", 1_000, 3_000, 20), P("Penggaris 30 cm", 3_000, 7_000, 30),
        P("Buku Gambar A4", 4_000, 8_000, 200), P("Amplop Cokelat isi 10", 8_000, 15_000, 150)),
    "oli": (P("Mesin Motor Matik", 45_000, 70_000), P("Mesin Motor Bebek", 40_000, 60_000),
        P("Gardan", 15_000, 25_000), P("Mesin Mobil", 250_000, 450_000)),
    "sparepart": (P("Ban Dalam Ring 17", 25_000, 45_000, 200), P("Kampas Rem Depan", 35_000, 80_000, 150),
        P("Busi", 15_000, 30_000, 50), P("Aki Kering Motor", 200_000, 350_000, 1_500),
        P("Lampu Depan LED", 50_000, 150_000, 100), P("V-Belt Matik", 80_000, 150_000, 300),
        P("Rantai Keteng", 50_000, 100_000, 300)),
    "kamar": (P("Standar", 150_000, 250_000), P("Deluxe", 250_000, 450_000), P("Keluarga", 350_000, 650_000),
        P("Dormitori", 75_000, 120_000), P("Joglo", 500_000, 1_200_000)),
    "laundry": ("Cuci Kering Setrika per kg", "Cuci Setrika Kilat 1 Hari per kg", "Setrika Saja per kg",
                "Cuci Kering Lipat per kg"),
    "cuci": ("Bed Cover Besar", "Selimut", "Sepatu", "Karpet per m2", "Boneka Besar", "Gorden per kg", "Helm"),
    "salon": (P("Potong Rambut Wanita", 25_000, 60_000), P("Creambath", 40_000, 90_000),
        P("Facial", 50_000, 150_000), P("Smoothing Rambut", 150_000, 400_000), P("Cat Rambut", 80_000, 250_000),
        P("Rias Wisuda", 150_000, 350_000), P("Hair Spa", 60_000, 120_000),
        P("Potong Rambut Anak", 15_000, 30_000), P("Sulam Alis", 350_000, 900_000)),
    "rias": ("Adat Jawa", "Muslimah", "Modern", "Paes Ageng Yogyakarta"),
    "cukur": ("Potong Rambut Pria", "Cukur Jenggot", "Potong Rambut Anak", "Cuci Rambut dan Pijat",
              "Cukur Gundul"),
    "servis": (P("Ganti LCD HP", 250_000, 900_000), P("Ganti Baterai HP", 100_000, 250_000),
        P("Servis TV LED", 100_000, 350_000), P("Isi Ulang Freon AC", 150_000, 300_000),
        P("Servis Mesin Cuci", 100_000, 250_000), P("Ganti Konektor Cas", 50_000, 100_000),
        P("Servis Kipas Angin", 30_000, 60_000), P("Instal Ulang Laptop", 75_000, 150_000),
        P("Servis Rice Cooker", 40_000, 90_000)),
    "permak": ("Permak Celana Jeans", "Potong Celana", "Ganti Resleting", "Kecilkan Baju", "Pasang Kancing",
               "Vermak Kemeja"),
    "pijat": ("Pijat Tradisional 1 Jam", "Pijat Bayi", "Refleksi Kaki", "Kerokan dan Pijat", "Pijat Ibu Hamil",
              "Lulur Badan"),
    "terapi": ("Bekam Kering", "Bekam Basah", "Totok Wajah", "Terapi Herbal", "Akupresur"),
    "antar": (P("Dalam Kota", 10_000, 25_000), P("ke Stasiun", 15_000, 35_000),
        P("ke Bandara YIA", 120_000, 250_000), P("Anak Sekolah per Bulan", 250_000, 500_000),
        P("Belanja Pasar", 10_000, 20_000)),
    "mobil": (P("Avanza Lepas Kunci", 300_000, 400_000), P("Innova dengan Sopir", 650_000, 900_000),
        P("Elf 15 Kursi", 900_000, 1_300_000), P("Brio Lepas Kunci", 250_000, 350_000),
        P("Hiace 14 Kursi", 1_100_000, 1_600_000)),
    "paket": ("Dokumen Dalam Kota", "Barang Kecil Dalam Kota", "Makanan Dalam Kota", "Antar Kilat 2 Jam"),
    "angkut": (P("Pikap Angkut Barang", 150_000, 300_000), P("Pindahan Rumah", 300_000, 800_000),
        P("Truk Engkel per Hari", 600_000, 1_000_000), P("Angkut Material", 150_000, 350_000)),
    "fotokopi": (P("Fotokopi A4 per Lembar", 250, 400), P("Fotokopi F4 per Lembar", 300, 500),
        P("Print Hitam Putih A4", 500, 1_000), P("Print Warna A4", 1_000, 3_000), P("Jilid Spiral", 5_000, 12_000),
        P("Laminasi KTP", 3_000, 5_000), P("Scan Dokumen", 2_000, 5_000),
        P("Jilid Hard Cover Skripsi", 30_000, 60_000)),
    "sewa": (P("Tenda Pesta 4x6 m", 300_000, 700_000), P("Kursi Futura per Buah", 3_000, 5_000),
        P("Sound System Kecil", 300_000, 800_000), P("Dekorasi Pelaminan", 2_500_000, 8_000_000),
        P("Meja Prasmanan", 50_000, 150_000), P("Tenda Dekor 5x10 m", 1_000_000, 3_000_000),
        P("Genset 5000 Watt", 350_000, 700_000)),
    "tur": ("Merapi Lava Tour", "Pantai Gunungkidul", "Borobudur Sunrise", "Goa Pindul", "Keraton dan Taman Sari",
            "Kalibiru", "Prambanan Sunset"),
    "mapel": ("Matematika SD", "Matematika SMP", "Bahasa Inggris", "Calistung", "IPA SMP", "Fisika SMA",
              "Persiapan UTBK"),
    "kursus": (P("Menjahit", 300_000, 800_000), P("Bahasa Inggris", 200_000, 500_000),
        P("Komputer Dasar", 250_000, 600_000), P("Mengemudi Mobil", 600_000, 1_200_000),
        P("Membatik", 150_000, 400_000), P("Tata Rias", 500_000, 1_500_000), P("Gitar", 200_000, 400_000),
        P("Piano Anak", 300_000, 600_000), P("Mengaji", 100_000, 250_000)),
    "foto": (P("Wisuda", 150_000, 500_000), P("Keluarga", 200_000, 600_000), P("Prewedding", 1_500_000, 5_000_000),
        P("Produk per 10 Foto", 150_000, 500_000), P("Pernikahan", 3_000_000, 10_000_000),
        P("Ulang Tahun Anak", 500_000, 1_500_000)),
    "desain": ("Logo UMKM", "Kemasan Produk", "Banner Promosi", "Undangan Digital", "Menu Rumah Makan"),
    "cetak": (P("Spanduk per Meter", 20_000, 35_000), P("Stiker Label per Lembar A3", 8_000, 15_000),
        P("Kartu Nama per Kotak", 35_000, 75_000), P("Sablon Kaos per Potong", 35_000, 75_000),
        P("Brosur A5 per 100 Lembar", 80_000, 150_000), P("Stempel Flash", 60_000, 120_000)),
    "tari": ("Tari Klasik Anak", "Tari Kreasi", "Karawitan Dewasa", "Macapat"),
    "pentas": (P("Tari Penyambutan", 1_000_000, 3_000_000), P("Jathilan", 2_000_000, 5_000_000),
        P("Karawitan Pernikahan", 2_500_000, 6_000_000), P("Wayang Kulit Semalam", 15_000_000, 40_000_000)),
    "digital": (P("Pembuatan Website UMKM", 1_500_000, 5_000_000),
        P("Kelola Media Sosial per Bulan", 750_000, 2_500_000),
        P("Desain Konten Instagram 10 Post", 300_000, 750_000), P("Iklan Online per Bulan", 500_000, 2_000_000),
        P("Foto Produk untuk Marketplace", 250_000, 750_000), P("Pembuatan Toko Online", 500_000, 2_000_000)),
    "tukang": (P("Jasa Tukang Harian", 120_000, 180_000), P("Pasang Keramik per m2", 60_000, 120_000),
        P("Pasang Instalasi Listrik per Titik", 75_000, 150_000), P("Renovasi Dapur", 8_000_000, 25_000_000),
        P("Pengecatan Rumah per m2", 20_000, 40_000), P("Perbaikan Atap Bocor", 300_000, 1_500_000),
        P("Pasang Plafon Gipsum per m2", 90_000, 150_000)),
    "kos": ("Putri AC", "Putra Non-AC", "Putri Kamar Mandi Dalam", "Campur Bulanan", "Pasutri"),
}


class Variant(NamedTuple):
    """One name an Item can take, with its price range (as logarithms) and weight range (grams)."""

    name: str
    log_low: float
    log_high: float
    weight: tuple[float, float] | None


@dataclass(frozen=True)
class Item:
    """One kind of product: `name` may hold {slots}; price and weight are (low, high) per unit."""

    name: str
    price: tuple[int, int]
    unit: str
    category: str
    weight: tuple[int, int] | None = None  # grams; None for services and anything not shipped
    made_to_order: float = 0.0  # share of shops that make it to order (no stock counted)
    scale: float = 1.0  # multiplies the price of a priced slot ("per Minggu" is six nights)
    # Every name the template gives, worked out once: a shop walks through them instead of drawing names
    # until one is new, which is what makes a million products quick.
    variants: tuple[Variant, ...] = field(default=(), init=False, compare=False, repr=False)
    strides: tuple[int, ...] = field(default=(), init=False, compare=False, repr=False)

    def __post_init__(self):
        slots = [name for _, name, _, _ in Formatter().parse(self.name) if name]
        unknown = [slot for slot in slots if slot not in SLOTS]
        if unknown:
            raise SynthError(f"slot tidak dikenal dalam {self.name!r}: {unknown}")
        variants = []
        for values in itertools.product(*(SLOTS[slot] for slot in slots)):
            (low, high), factor, weight, labels = self.price, 1.0, self.weight, {}
            for slot, value in zip(slots, values):
                if isinstance(value, P):
                    low, high = value.low * self.scale, value.high * self.scale
                    weight = (value.weight, value.weight) if value.weight else weight
                elif isinstance(value, S):
                    factor *= value.factor
                labels[slot] = value if isinstance(value, str) else value.label
            variants.append(
                Variant(
                    name=self.name.format_map(labels),
                    log_low=math.log(low * factor),
                    log_high=math.log(high * factor),
                    weight=(weight[0] * factor, weight[1] * factor) if weight else None,
                )
            )
        n = len(variants)
        object.__setattr__(self, "variants", tuple(variants))
        object.__setattr__(self, "strides", tuple(k for k in range(1, max(n, 2)) if math.gcd(k, n) == 1) or (1,))


@dataclass(frozen=True)
class Catalogue:
    items: tuple[Item, ...]
    taglines: tuple[str, ...]  # may use {place}
    hours: str  # key of HOURS
    descriptions: tuple[str, ...]  # sentences; may use {place}
    services: bool = False

    @property
    def capacity(self) -> int:
        """How many differently named products a shop can list from this catalogue."""
        return sum(len(item.variants) for item in self.items)


MADE = 1.0  # always made to order: cooked food, services
GOODS_NOTES = (
    "Bisa kirim ke luar kota, dikemas rapi.",
    "Pesan lewat WhatsApp, bisa COD di sekitar {place}.",
    "Stok terbatas, tanyakan dulu sebelum memesan.",
    "Harga grosir untuk pembelian banyak.",
)

SNACKS = Catalogue(
    items=(
        Item("Keripik {keripik} {rasa} {pack}", (12_000, 25_000), "bungkus", "Camilan", (250, 260)),
        Item("Keripik {keripik} {rasa}", (10_000, 25_000), "bungkus", "Camilan", (150, 250)),
        Item("Kerupuk {kerupuk} {pack}", (15_000, 30_000), "bungkus", "Camilan", (250, 250)),
        Item("Peyek {peyek}", (12_000, 30_000), "toples", "Camilan", (200, 350)),
        Item("Emping Melinjo {rasa}", (20_000, 60_000), "bungkus", "Camilan", (200, 500)),
        Item("Kacang Bawang {pack}", (15_000, 25_000), "bungkus", "Camilan", (250, 260)),
        Item("Makaroni {rasa}", (5_000, 15_000), "bungkus", "Camilan", (100, 250)),
        Item("Basreng Pedas Daun Jeruk", (10_000, 20_000), "bungkus", "Camilan", (100, 250)),
        Item("Sale Pisang Goreng", (15_000, 35_000), "bungkus", "Camilan", (200, 400)),
        Item("Rengginang {rasa} Mentah", (15_000, 30_000), "bungkus", "Camilan", (250, 500)),
        Item("Stik Bawang {rasa}", (12_000, 25_000), "toples", "Camilan", (200, 300)),
        Item("Paket Oleh-oleh Camilan 5 Rasa", (50_000, 120_000), "paket", "Camilan", (800, 1500), 0.3),
    ),
    taglines=("Camilan renyah buatan rumah dari {place}", "Oleh-oleh khas {place}, digoreng setiap hari",
              "Keripik dan kerupuk tanpa pengawet"),
    hours="home",
    descriptions=("Dibuat sendiri setiap hari di {place}, tanpa pengawet dan tanpa pewarna buatan.",
                  "Renyah dan gurih, cocok untuk teman minum teh atau oleh-oleh.",
                  "Dikemas dalam plastik tebal dengan klip agar tetap renyah.", *GOODS_NOTES),
)
CAKES = Catalogue(
    items=(
        Item("Bakpia {bakpia} {isi}", (35_000, 60_000), "kotak", "Kue & Roti", (600, 750)),
        Item("Roti {roti}", (5_000, 25_000), "pcs", "Kue & Roti", (80, 400)),
        Item("Bolu {bolu}", (35_000, 85_000), "loyang", "Kue & Roti", (500, 900), 0.3),
        Item("Brownies {bolu}", (40_000, 90_000), "kotak", "Kue & Roti", (400, 700), 0.3),
        Item("Kue Kering {kering} 500 gr", (60_000, 130_000), "toples", "Kue & Roti", (500, 650)),
        Item("Kue Kering {kering} 250 gr", (35_000, 70_000), "toples", "Kue & Roti", (250, 350)),
        Item("Lapis Legit Premium", (250_000, 600_000), "loyang", "Kue & Roti", (900, 1500), 0.8),
        Item("Kue Ulang Tahun Diameter {tart} cm", (150_000, 250_000), "buah", "Kue & Roti", (1000, 2500), MADE),
        Item("Jajan Pasar {jajan}", (2_000, 5_000), "pcs", "Jajan Pasar", (40, 120), 0.5),
        Item("Snack Box Jajan Pasar isi 4", (10_000, 25_000), "kotak", "Jajan Pasar", (250, 400), MADE),
        Item("Geplak Aneka Rasa", (20_000, 40_000), "kotak", "Kue & Roti", (300, 500)),
        Item("Yangko Kacang", (15_000, 30_000), "kotak", "Kue & Roti", (200, 300)),
        Item("Wingko Babat isi 10", (25_000, 45_000), "kotak", "Kue & Roti", (400, 600)),
    ),
    taglines=("Kue dan roti hangat dari oven {place}", "Bakpia dan kue basah untuk oleh-oleh dan hajatan",
              "Pesan kue ulang tahun dan snack box, bisa diantar"),
    hours="shop",
    descriptions=("Dipanggang setiap pagi, tahan 3 sampai 5 hari di suhu ruang.",
                  "Menerima pesanan untuk arisan, pengajian, dan hajatan.",
                  "Tanpa pengawet, pakai mentega asli.", *GOODS_NOTES),
)
TEMPE = Catalogue(
    items=(
        Item("Tempe {tempe}", (3_000, 12_000), "pcs", "Lauk Segar", (200, 500)),
        Item("Tahu {tahu}", (5_000, 20_000), "bungkus", "Lauk Segar", (300, 700)),
        Item("Keripik Tempe {rasa}", (10_000, 25_000), "bungkus", "Camilan", (150, 250)),
        Item("Susu Kedelai {susu}", (5_000, 12_000), "botol", "Minuman", (250, 550)),
        Item("Kedelai Lokal 1 kg", (12_000, 16_000), "kg", "Bahan Makanan", (1000, 1000)),
    ),
    taglines=("Tempe dan tahu segar setiap pagi dari {place}", "Tempe kedelai lokal, dibungkus daun pisang"),
    hours="market",
    descriptions=("Dibuat dini hari, sampai di pembeli masih segar.", "Kedelai pilihan tanpa bahan pengawet.",
                  "Bisa pesan rutin untuk warung dan katering."),
)
SAUCES = Catalogue(
    items=(
        Item("Sambal {sambal} 200 gr", (20_000, 45_000), "botol", "Sambal & Bumbu", (200, 300)),
        Item("Sambal {sambal} {level}", (18_000, 40_000), "botol", "Sambal & Bumbu", (150, 250)),
        Item("Bumbu Pecel {level}", (12_000, 25_000), "bungkus", "Sambal & Bumbu", (250, 500)),
        Item("{frozen} Beku", (20_000, 75_000), "pak", "Makanan Beku", (400, 1000)),
        Item("{frozen} Homemade", (22_000, 70_000), "pak", "Makanan Beku", (400, 1000)),
        Item("Abon {abon} 100 gr", (35_000, 90_000), "bungkus", "Lauk Siap Saji", (100, 150)),
        Item("Rendang Daging Sapi 500 gr", (95_000, 160_000), "pak", "Lauk Siap Saji", (500, 600), 0.5),
        Item("Gudeg Kering Kendil", (60_000, 130_000), "kendil", "Lauk Siap Saji", (1000, 1800), 0.5),
        Item("Wedang Uwuh Seduh isi 5", (15_000, 30_000), "bungkus", "Minuman", (100, 200)),
    ),
    taglines=("Sambal dan lauk siap saji dari dapur {place}", "Frozen food homemade, tinggal goreng",
              "Pedasnya pas, tahan lama tanpa pengawet"),
    hours="home",
    descriptions=("Tahan 1 bulan di kulkas, 3 bulan di freezer.", "Dimasak dengan minyak baru dan bumbu segar.",
                  "Dikirim dengan kantong es agar tetap beku.", *GOODS_NOTES),
)
BATIK = Catalogue(
    items=(
        Item("Batik Tulis Motif {motif}", (350_000, 2_500_000), "lembar", "Batik", (250, 450), 0.3),
        Item("Batik Tulis {motif} Warna {warna}", (400_000, 3_000_000), "lembar", "Batik", (250, 450), 0.3),
        Item("Batik Cap Motif {motif}", (90_000, 350_000), "lembar", "Batik", (250, 450)),
        Item("Kemeja Batik {motif} Lengan {lengan} {ukuran}", (120_000, 450_000), "potong", "Pakaian",
             (200, 350)),
        Item("Daster Batik {motif}", (45_000, 95_000), "potong", "Pakaian", (180, 300)),
        Item("Selendang Batik Tulis {warna}", (150_000, 600_000), "lembar", "Batik", (100, 200), 0.2),
        Item("Sarung Batik {motif}", (90_000, 250_000), "lembar", "Batik", (300, 500)),
        Item("Blangkon Gaya {blangkon}", (50_000, 150_000), "buah", "Aksesori", (100, 200), 0.2),
        Item("Kain Batik Cap {warna} 2 Meter", (100_000, 300_000), "lembar", "Batik", (300, 450)),
    ),
    taglines=("Batik tulis dan cap asli {place}", "Batik tulis tangan, dikerjakan perajin {place}",
              "Kain batik, kemeja, dan daster batik"),
    hours="shop",
    descriptions=("Dibatik dengan tangan memakai canting dan malam, pewarna alami.",
                  "Setiap lembar dikerjakan 2 sampai 6 minggu, motifnya tidak ada yang persis sama.",
                  "Ukuran kain 2 x 1,15 meter.", "Cuci dengan tangan memakai lerak, jangan dijemur di terik.",
                  *GOODS_NOTES),
)
FASHION = Catalogue(
    items=(
        Item("Kaos {kaos} {ukuran}", (40_000, 95_000), "potong", "Pakaian", (150, 250)),
        Item("Kemeja {kemeja} {ukuran}", (85_000, 220_000), "potong", "Pakaian", (200, 350)),
        Item("Gamis {gamis} {ukuran}", (120_000, 320_000), "potong", "Pakaian Muslim", (300, 600)),
        Item("Hijab Segi Empat {hijab}", (25_000, 75_000), "lembar", "Pakaian Muslim", (80, 150)),
        Item("Mukena {mukena}", (90_000, 280_000), "set", "Pakaian Muslim", (400, 800)),
        Item("Celana {celana} {ukuran}", (70_000, 180_000), "potong", "Pakaian", (250, 600)),
        Item("Jaket {jaket} {ukuran}", (120_000, 280_000), "potong", "Pakaian", (400, 900)),
        Item("Seragam {seragam}", (70_000, 160_000), "set", "Pakaian", (300, 600), 0.6),
        Item("Daster {daster}", (35_000, 80_000), "potong", "Pakaian", (180, 300)),
        Item("Jasa Jahit {jahit}", (50_000, 350_000), "jasa", "Jasa Jahit", None, MADE),
    ),
    taglines=("Pakaian jahitan sendiri dari {place}", "Busana muslim dan kaos harga konveksi",
              "Terima pesanan seragam dan jahitan"),
    hours="shop",
    descriptions=("Bahan adem dan tidak menerawang, jahitan rapi.", "Tersedia ukuran S sampai XXL.",
                  "Menerima pesanan seragam kantor, sekolah, dan komunitas.", *GOODS_NOTES),
)
CRAFTS = Catalogue(
    items=(
        Item("Tas Anyaman {bahan}", (50_000, 250_000), "buah", "Kerajinan", (300, 800)),
        Item("Keranjang {bahan}", (25_000, 150_000), "buah", "Kerajinan", (300, 1500)),
        Item("Tampah Bambu Diameter {diameter} cm", (15_000, 25_000), "buah", "Kerajinan", (300, 400)),
        Item("Besek Bambu {besek}", (8_000, 15_000), "ikat", "Kerajinan", (400, 600)),
        Item("Kap Lampu Bambu {kap}", (75_000, 250_000), "buah", "Dekorasi Rumah", (400, 1500), 0.3),
        Item("Gerabah Kasongan {gerabah}", (35_000, 400_000), "buah", "Dekorasi Rumah", (500, 5000)),
        Item("Topeng Kayu {topeng}", (75_000, 350_000), "buah", "Kerajinan", (300, 800)),
        Item("Wayang Kulit {tokoh}", (250_000, 2_000_000), "buah", "Kerajinan", (200, 600), 0.5),
        Item("Miniatur {miniatur}", (50_000, 300_000), "buah", "Kerajinan", (200, 1200)),
        Item("Gantungan Kunci {gantungan} isi 12", (15_000, 45_000), "pak", "Oleh-oleh", (100, 200)),
        Item("Ukiran Kayu {ukir}", (150_000, 1_500_000), "buah", "Dekorasi Rumah", (1000, 8000), 0.4),
        Item("Perak Kotagede {perak}", (150_000, 1_200_000), "buah", "Perhiasan", (10, 60), 0.3),
    ),
    taglines=("Kerajinan tangan perajin {place}", "Anyaman, gerabah, dan ukiran untuk rumah dan oleh-oleh",
              "Buatan tangan, bisa pesan motif sendiri"),
    hours="shop",
    descriptions=("Dikerjakan dengan tangan oleh perajin di {place}.",
                  "Bisa pesan dalam jumlah banyak untuk suvenir acara.",
                  "Dikemas dengan kardus dan bubble wrap agar aman di jalan.", *GOODS_NOTES),
)
FURNITURE = Catalogue(
    items=(
        Item("Kursi {kursi}", (350_000, 2_500_000), "buah", "Mebel", (5000, 25000), 0.4),
        Item("Meja {meja}", (400_000, 3_500_000), "buah", "Mebel", (8000, 60000), 0.5),
        Item("Lemari {lemari}", (1_500_000, 8_000_000), "buah", "Mebel", (30000, 90000), 0.7),
        Item("Rak {rak}", (150_000, 900_000), "buah", "Mebel", (3000, 20000), 0.3),
        Item("Dipan {dipan}", (1_500_000, 6_000_000), "buah", "Mebel", (30000, 80000), 0.7),
    ),
    taglines=("Mebel kayu jati dan mahoni dari {place}", "Terima pesanan mebel sesuai ukuran"),
    hours="shop",
    descriptions=("Kayu kering oven, finishing natural atau duco.", "Bisa pesan ukuran dan warna sendiri.",
                  "Ongkos kirim dihitung sesuai jarak; gratis antar di dalam kota."),
)
COFFEE = Catalogue(
    items=(
        Item("Kopi Bubuk {kopi} {gram}", (25_000, 60_000), "bungkus", "Kopi & Teh", (250, 270)),
        Item("Biji Kopi Sangrai {kopi} 250 gr", (45_000, 130_000), "bungkus", "Kopi & Teh", (250, 300)),
        Item("Kopi Rempah Jahe isi 10", (15_000, 35_000), "bungkus", "Kopi & Teh", (200, 300)),
        Item("Gula Semut Aren 500 gr", (20_000, 40_000), "bungkus", "Bahan Makanan", (500, 550)),
    ),
    taglines=("Kopi petani lereng {place}, disangrai sendiri", "Kopi bubuk segar, digiling saat dipesan"),
    hours="home",
    descriptions=("Disangrai medium, digiling saat ada pesanan.", "Biji kopi dari kebun petani sekitar.",
                  *GOODS_NOTES),
)
DRINKS = Catalogue(
    items=(
        Item("Es Kopi Susu {kopisusu}", (12_000, 25_000), "gelas", "Minuman", (300, 450), MADE),
        Item("Kopi {seduh}", (6_000, 22_000), "gelas", "Minuman", (200, 300), MADE),
        Item("Es Teh {teh}", (3_000, 10_000), "gelas", "Minuman", (300, 500), MADE),
        Item("Jus {buah}", (8_000, 18_000), "gelas", "Minuman", (300, 450), MADE),
        Item("Wedang {wedang}", (6_000, 15_000), "gelas", "Minuman", (250, 350), MADE),
        Item("Pisang Goreng Keju", (10_000, 20_000), "porsi", "Makanan", (200, 300), MADE),
        Item("Roti Bakar {roti}", (12_000, 25_000), "porsi", "Makanan", (200, 350), MADE),
    ),
    taglines=("Tempat nongkrong di {place}", "Kopi dan wedang hangat sampai malam"),
    hours="night",
    descriptions=("Dibuat saat dipesan.", "Bisa pesan antar untuk daerah {place}.", "Ada wifi dan colokan."),
)
WARUNG = Catalogue(
    items=(
        Item("Nasi Gudeg {gudeg}", (12_000, 35_000), "porsi", "Makanan", (350, 600), MADE),
        Item("Nasi {nasi}", (8_000, 25_000), "porsi", "Makanan", (300, 550), MADE),
        Item("Soto {soto}", (10_000, 22_000), "mangkuk", "Makanan", (400, 600), MADE),
        Item("Bakso {bakso}", (12_000, 25_000), "mangkuk", "Makanan", (400, 650), MADE),
        Item("Mie Ayam {mie}", (10_000, 20_000), "mangkuk", "Makanan", (400, 600), MADE),
        Item("Ayam {ayam}", (15_000, 32_000), "porsi", "Makanan", (300, 500), MADE),
        Item("Sate {sate}", (3_000, 40_000), "porsi", "Makanan", (100, 400), MADE),
        Item("Bakmi Jawa {bakmi}", (15_000, 28_000), "porsi", "Makanan", (350, 550), MADE),
        Item("Gorengan {gorengan}", (1_000, 2_500), "pcs", "Makanan", (40, 80), MADE),
        Item("Nasi Kucing {kucing}", (2_000, 4_000), "bungkus", "Makanan", (100, 150), MADE),
        Item("Es Teh {teh}", (3_000, 8_000), "gelas", "Minuman", (300, 500), MADE),
        Item("Es Jeruk", (4_000, 9_000), "gelas", "Minuman", (300, 500), MADE),
    ),
    taglines=("Masakan rumahan khas {place}", "Makan enak harga bersahabat", "Buka pagi, masakan selalu baru"),
    hours="warung",
    descriptions=("Dimasak setiap pagi dengan bumbu sendiri.", "Bisa pesan antar di sekitar {place}.",
                  "Terima pesanan nasi kotak untuk acara."),
)
CATERING = Catalogue(
    items=(
        Item("Nasi Kotak {kotak}", (20_000, 45_000), "kotak", "Katering", (400, 600), MADE),
        Item("Tumpeng {tumpeng} untuk {orang} Orang", (350_000, 600_000), "paket", "Katering", None, MADE),
        Item("Prasmanan per Orang Menu {kotak}", (35_000, 80_000), "porsi", "Katering", None, MADE),
        Item("Snack Box Jajan Pasar isi 3", (10_000, 20_000), "kotak", "Katering", (200, 350), MADE),
        Item("Katering Harian Makan Siang per Bulan", (500_000, 900_000), "paket", "Katering", None, MADE),
    ),
    taglines=("Katering rumahan untuk acara di {place}", "Nasi kotak, tumpeng, dan prasmanan"),
    hours="home",
    descriptions=("Pesan paling lambat H-2 untuk lebih dari 50 kotak.", "Gratis antar di dalam kota {place}.",
                  "Menu bisa disesuaikan dengan anggaran."),
    services=True,
)
SEMBAKO = Catalogue(
    items=(
        Item("Beras {beras} {karung}", (65_000, 85_000), "karung", "Sembako", (5000, 5000)),
        Item("Minyak Goreng Kemasan 2 Liter", (34_000, 40_000), "pouch", "Sembako", (1800, 1900)),
        Item("Minyak Goreng Curah 1 Liter", (15_000, 18_000), "liter", "Sembako", (900, 950)),
        Item("Gula Pasir 1 kg", (17_000, 19_500), "kg", "Sembako", (1000, 1000)),
        Item("Gula Jawa Batok 1 kg", (18_000, 28_000), "kg", "Sembako", (1000, 1000)),
        Item("Telur Ayam Ras 1 kg", (26_000, 32_000), "kg", "Sembako", (1000, 1000)),
        Item("Tepung Terigu Serbaguna 1 kg", (12_000, 15_000), "bungkus", "Sembako", (1000, 1000)),
        Item("Mie Instan Goreng 1 Dus", (110_000, 125_000), "dus", "Sembako", (3500, 4000)),
        Item("Kopi Sachet Susu 1 Renceng", (12_000, 16_000), "renceng", "Sembako", (250, 300)),
        Item("Sabun Cuci Piring 800 ml", (12_000, 18_000), "pouch", "Kebutuhan Rumah", (800, 850)),
        Item("Deterjen Bubuk 1 kg", (20_000, 28_000), "bungkus", "Kebutuhan Rumah", (1000, 1000)),
        Item("Air Galon Isi Ulang", (5_000, 7_000), "galon", "Minuman", (19000, 19000)),
        Item("Gas Elpiji 3 kg Isi Ulang", (20_000, 25_000), "tabung", "Kebutuhan Rumah", (8000, 8000)),
        Item("Garam Dapur 250 gr", (2_000, 4_000), "bungkus", "Sembako", (250, 250)),
        Item("Kecap Manis 520 ml", (20_000, 26_000), "botol", "Sembako", (600, 650)),
        Item("Teh Celup isi 25", (6_000, 10_000), "kotak", "Sembako", (60, 80)),
        Item("Susu Kental Manis Kaleng", (11_000, 14_000), "kaleng", "Sembako", (370, 400)),
    ),
    taglines=("Sembako lengkap dan murah di {place}", "Kebutuhan dapur, bisa antar ke rumah"),
    hours="shop",
    descriptions=("Harga bisa berubah mengikuti harga pasar.", "Gratis antar untuk belanja di atas Rp 100.000.",
                  "Melayani pembelian eceran dan grosir."),
)
PRODUCE = Catalogue(
    items=(
        Item("{sayur} 1 Ikat", (2_000, 6_000), "ikat", "Sayur & Buah", (200, 400)),
        Item("{bumbu} {takaran}", (5_000, 60_000), "bungkus", "Sayur & Buah", (1000, 1000)),
        Item("{buah_kg} 1 kg", (10_000, 45_000), "kg", "Sayur & Buah", (1000, 1000)),
        Item("Pisang Raja 1 Sisir", (20_000, 40_000), "sisir", "Sayur & Buah", (1500, 2500)),
        Item("Paket Sayur Sop", (6_000, 12_000), "paket", "Sayur & Buah", (400, 600)),
        Item("Paket Sayur Lodeh", (6_000, 12_000), "paket", "Sayur & Buah", (400, 600)),
        Item("Bibit {bibit} Polybag", (3_000, 75_000), "polybag", "Tanaman", (300, 3000)),
    ),
    taglines=("Sayur dan buah segar dari kebun {place}", "Petik pagi, antar siang"),
    hours="market",
    descriptions=("Dipetik pagi hari dari kebun sendiri dan petani sekitar.", "Harga mengikuti harga pasar.",
                  "Bisa pesan rutin mingguan untuk warung makan."),
)
LIVESTOCK = Catalogue(
    items=(
        Item("Telur Ayam Kampung isi 10", (20_000, 30_000), "pak", "Peternakan", (450, 550)),
        Item("Ayam Kampung Hidup", (70_000, 130_000), "ekor", "Peternakan", (1000, 1800)),
        Item("Ayam Kampung Potong Bersih", (75_000, 120_000), "ekor", "Peternakan", (800, 1200), 0.5),
        Item("Telur Puyuh 1 kg", (30_000, 40_000), "kg", "Peternakan", (1000, 1000)),
        Item("Telur Bebek isi 10", (28_000, 40_000), "pak", "Peternakan", (650, 750)),
        Item("Pupuk Kandang 1 Karung", (10_000, 25_000), "karung", "Pertanian", (20000, 25000)),
    ),
    taglines=("Telur dan ayam kampung dari peternakan {place}", "Ayam kampung asli, dipelihara lepas"),
    hours="market",
    descriptions=("Dipelihara sendiri dengan pakan alami.", "Telur diambil setiap pagi.",
                  "Bisa antar untuk pesanan di atas 5 kg."),
)
FISH = Catalogue(
    items=(
        Item("{ikan} Segar 1 kg", (20_000, 65_000), "kg", "Ikan", (1000, 1000)),
        Item("{ikan} Hidup 1 kg", (22_000, 70_000), "kg", "Ikan", (1000, 1000)),
        Item("Bibit Lele 100 Ekor", (15_000, 35_000), "paket", "Perikanan", (1000, 2000)),
        Item("{ikan} Bakar Bumbu", (25_000, 60_000), "ekor", "Lauk Siap Saji", (400, 700), MADE),
        Item("Lele Asap 500 gr", (35_000, 60_000), "bungkus", "Lauk Siap Saji", (500, 550)),
    ),
    taglines=("Ikan air tawar segar dari kolam {place}", "Lele, nila, dan gurami langsung dari kolam"),
    hours="market",
    descriptions=("Ditangkap saat dipesan, dibersihkan gratis.", "Melayani pesanan rumah makan dan hajatan."),
)
BEAUTY = Catalogue(
    items=(
        Item("Jamu {jamu} {botol}", (5_000, 10_000), "botol", "Jamu & Herbal", (270, 300)),
        Item("Lulur {lulur}", (15_000, 45_000), "toples", "Kecantikan", (100, 250)),
        Item("Sabun Herbal {sabun}", (10_000, 25_000), "batang", "Kecantikan", (80, 120)),
        Item("Minyak Urut {urut} 60 ml", (15_000, 35_000), "botol", "Jamu & Herbal", (80, 100)),
        Item("Masker Wajah Bengkoang", (15_000, 40_000), "toples", "Kecantikan", (50, 100)),
    ),
    taglines=("Jamu gendong dan ramuan herbal {place}", "Perawatan alami warisan leluhur"),
    hours="home",
    descriptions=("Dibuat dari rempah segar tanpa pengawet; simpan di kulkas.", "Diracik sendiri setiap pagi.",
                  *GOODS_NOTES),
)
PHONES = Catalogue(
    items=(
        Item("Pulsa {pulsa}", (6_000, 102_000), "kali", "Pulsa & Data", None, MADE),
        Item("Paket Data {kuota}", (10_000, 150_000), "kali", "Pulsa & Data", None, MADE),
        Item("Casing HP {hp}", (15_000, 50_000), "buah", "Aksesori HP", (30, 80)),
        Item("Tempered Glass Anti Gores", (10_000, 30_000), "buah", "Aksesori HP", (20, 50)),
        Item("Kabel Data {kabel} 1 Meter", (15_000, 45_000), "buah", "Aksesori HP", (30, 60)),
        Item("Charger Fast Charging {kabel}", (45_000, 130_000), "buah", "Aksesori HP", (80, 150)),
        Item("Earphone Bass", (20_000, 75_000), "buah", "Aksesori HP", (30, 80)),
        Item("Kartu Perdana Internet", (15_000, 60_000), "buah", "Pulsa & Data", (10, 20)),
    ),
    taglines=("Pulsa, paket data, dan aksesori HP di {place}", "Isi pulsa cepat, aksesori lengkap"),
    hours="shop",
    descriptions=("Pulsa dan paket data masuk dalam 5 menit.", "Garansi tukar 7 hari untuk barang rusak."),
)
BUILDING = Catalogue(
    items=(
        Item("Semen {semen}", (15_000, 80_000), "sak", "Bahan Bangunan", (1000, 50000)),
        Item("Cat {cat}", (45_000, 180_000), "kaleng", "Bahan Bangunan", (1000, 5000)),
        Item("Pipa {pipa} 4 Meter", (25_000, 120_000), "batang", "Bahan Bangunan", (800, 4000)),
        Item("{bangunan}", (15_000, 700_000), "satuan", "Bahan Bangunan", (1000, 30000)),
    ),
    taglines=("Bahan bangunan lengkap di {place}", "Material murah, bisa antar pakai pikap"),
    hours="shop",
    descriptions=("Gratis antar di dalam kecamatan untuk pembelian di atas Rp 1.000.000.",
                  "Harga grosir untuk tukang dan pemborong."),
)
STATIONERY = Catalogue(
    items=(Item("{atk}", (3_000, 60_000), "pak", "Alat Tulis", (50, 2500)),),
    taglines=("Alat tulis dan perlengkapan sekolah di {place}",),
    hours="shop",
    descriptions=("Lengkap untuk sekolah dan kantor.", "Harga grosir untuk sekolah."),
)
WORKSHOP = Catalogue(
    items=(
        Item("Ganti Oli {oli}", (40_000, 350_000), "jasa", "Servis Kendaraan", None, MADE),
        Item("Servis Ringan Motor", (50_000, 100_000), "jasa", "Servis Kendaraan", None, MADE),
        Item("Tambal Ban Tubeless", (10_000, 25_000), "jasa", "Servis Kendaraan", None, MADE),
        Item("{sparepart}", (15_000, 350_000), "buah", "Suku Cadang", (50, 3000)),
    ),
    taglines=("Bengkel motor terpercaya di {place}", "Servis cepat, suku cadang asli"),
    hours="shop",
    descriptions=("Dikerjakan mekanik berpengalaman.", "Garansi servis 1 minggu."),
    services=True,
)
LODGING = Catalogue(
    items=(
        Item("Kamar {kamar} per Malam", (150_000, 600_000), "malam", "Penginapan", None, MADE),
        Item("Kamar {kamar} per Minggu", (800_000, 2_500_000), "minggu", "Penginapan", None, MADE, scale=6),
        Item("Paket Sarapan Nasi Gudeg", (20_000, 40_000), "porsi", "Makanan", None, MADE),
    ),
    taglines=("Penginapan nyaman dan murah di {place}", "Homestay keluarga dekat tempat wisata"),
    hours="shop",
    descriptions=("Kamar bersih, air panas, wifi, parkir luas.", "Check-in 14.00, check-out 12.00."),
    services=True,
)

_SERVICE_NOTES = ("Hubungi lewat WhatsApp untuk atur jadwal.", "Melayani panggilan ke rumah di sekitar {place}.",
                  "Harga bisa berbeda sesuai kondisi; tanyakan dulu.")


def _service(items: tuple[tuple[str, int, int, str, str], ...], taglines: tuple[str, ...], hours: str = "office",
             descriptions: tuple[str, ...] = ()) -> Catalogue:
    return Catalogue(
        items=tuple(Item(name, (low, high), unit, category, None, MADE) for name, low, high, unit, category in items),
        taglines=taglines,
        hours=hours,
        descriptions=descriptions + _SERVICE_NOTES,
        services=True,
    )


LAUNDRY = _service(
    (("Laundry {laundry}", 4_000, 15_000, "kg", "Laundry"), ("Cuci {cuci}", 15_000, 45_000, "buah", "Laundry")),
    ("Laundry kiloan bersih dan wangi di {place}", "Cuci kering setrika, bisa antar jemput"),
    "shop",
    ("Selesai dalam 2 hari, kilat 1 hari.", "Antar jemput gratis minimal 5 kg."),
)
SALON = _service(
    (("{salon}", 25_000, 400_000, "jasa", "Salon"), ("Rias Pengantin {rias}", 1_500_000, 8_000_000, "paket", "Rias")),
    ("Salon kecantikan di {place}", "Rias pengantin dan wisuda"),
    "shop",
)
BARBER = _service((("{cukur}", 10_000, 40_000, "jasa", "Pangkas Rambut"),), ("Pangkas rambut rapi di {place}",),
                  "shop")
REPAIR = _service((("{servis}", 50_000, 900_000, "jasa", "Servis Elektronik"),),
                  ("Servis HP dan elektronik di {place}", "Servis cepat, bergaransi"), "shop")
TAILOR = _service((("{permak}", 5_000, 35_000, "jasa", "Permak"),), ("Vermak dan permak pakaian di {place}",), "shop")
MASSAGE = _service(
    (("{pijat}", 50_000, 150_000, "jasa", "Pijat"), ("{terapi}", 50_000, 150_000, "jasa", "Terapi Tradisional")),
    ("Pijat tradisional dan terapi di {place}", "Bisa dipanggil ke rumah"),
    "home",
)
TRANSPORT = _service(
    (("Ojek Antar {antar}", 10_000, 350_000, "kali", "Transportasi"),
     ("Sewa Mobil {mobil} 12 Jam", 300_000, 1_200_000, "hari", "Transportasi"),
     ("Kirim Paket {paket}", 10_000, 35_000, "kali", "Pengiriman"),
     ("Sewa {angkut}", 150_000, 900_000, "kali", "Pengiriman")),
    ("Antar jemput dan sewa kendaraan di {place}", "Siap antar 24 jam"),
    "office",
)
BUSINESS_SUPPORT = _service(
    (("{fotokopi}", 300, 75_000, "lembar", "Fotokopi & Cetak"),
     ("Sewa {sewa}", 3_000, 8_000_000, "hari", "Sewa Alat Pesta"),
     ("Paket Tur {tur}", 150_000, 1_500_000, "orang", "Wisata")),
    ("Fotokopi, cetak, dan sewa alat pesta di {place}",),
    "shop",
)
EDUCATION = _service(
    (("Les Privat {mapel} per Bulan", 200_000, 650_000, "bulan", "Les & Kursus"),
     ("Kursus {kursus} per Bulan", 150_000, 1_200_000, "bulan", "Les & Kursus")),
    ("Bimbingan belajar dan kursus di {place}", "Les privat datang ke rumah"),
    "office",
)
PROFESSIONAL = _service(
    (("Foto {foto}", 50_000, 5_000_000, "paket", "Fotografi"), ("Pas Foto 3x4 isi 4", 15_000, 30_000, "paket",
                                                                 "Fotografi"),
     ("Desain {desain}", 75_000, 1_000_000, "jasa", "Desain"), ("Cetak {cetak}", 10_000, 150_000, "paket",
                                                                   "Fotografi & Cetak")),
    ("Studio foto dan desain di {place}",),
    "office",
)
HEALTH = _service(
    (("{terapi}", 50_000, 200_000, "jasa", "Terapi Tradisional"), ("{pijat}", 50_000, 150_000, "jasa", "Pijat")),
    ("Pengobatan tradisional dan herbal di {place}",),
    "office",
)
ARTS = _service(
    (("Kursus {tari} per Bulan", 100_000, 300_000, "bulan", "Seni & Budaya"),
     ("Pentas {pentas}", 1_000_000, 15_000_000, "acara", "Seni & Budaya")),
    ("Sanggar seni dan budaya di {place}",),
    "office",
)
DIGITAL = _service((("{digital}", 300_000, 5_000_000, "paket", "Jasa Digital"),),
                   ("Bantu UMKM {place} jualan online",))
TRADES = _service((("{tukang}", 75_000, 15_000_000, "jasa", "Jasa Bangunan"),), ("Tukang dan renovasi di {place}",))
ROOMS = _service((("Kamar Kos {kos} per Bulan", 450_000, 1_800_000, "bulan", "Kos"),),
                 ("Kos bersih dan aman di {place}",), "office")

# KBLI kelompok -> what a business registered under it sells (the codes of synth/archetypes.py).
_BY_KELOMPOK = {
    SNACKS: ("10794", "47242", "47822"),
    CAKES: ("10710", "10792"),
    TEMPE: ("10391", "10392"),
    SAUCES: ("10750", "10799"),
    BATIK: ("13134",),
    FASHION: ("14111", "14120", "47711", "47832", "47714"),
    CRAFTS: ("16291", "16293", "32903", "47781", "47789", "47881"),
    FURNITURE: ("31001",),
    COFFEE: ("10761",),
    DRINKS: ("56303", "56304"),
    WARUNG: ("56102", "56103", "56104"),
    CATERING: ("56210",),
    SEMBAKO: ("47111", "47112", "47191", "47829", "47241", "47211", "47821", "47772"),
    PRODUCE: ("47213", "47212", "47813", "47812", "01131", "01133", "01132"),
    LIVESTOCK: ("01461", "01462"),
    FISH: ("03221", "03226"),
    BEAUTY: ("47724", "47723", "47843"),
    PHONES: ("47414", "47877"),
    BUILDING: ("47528", "47521"),
    STATIONERY: ("47611",),
    WORKSHOP: ("45407", "45406"),
    LODGING: ("55130", "55199"),
    LAUNDRY: ("96200",),
    SALON: ("96112",),
    BARBER: ("96111",),
    REPAIR: ("95120", "95210"),
    TAILOR: ("95291",),
    MASSAGE: ("96121",),
    TRANSPORT: ("49424", "49422", "53201", "49431"),
    BUSINESS_SUPPORT: ("82190", "77291", "79111"),
    EDUCATION: ("85495", "85493", "85499"),
    PROFESSIONAL: ("74201", "73100"),
    HEALTH: ("86902",),
    ARTS: ("90011", "90029"),
    DIGITAL: ("62019", "63122"),
    TRADES: ("43211", "43303", "43302"),
    ROOMS: ("68111",),
}
CATALOGUE_BY_KELOMPOK = {code: catalogue for catalogue, codes in _BY_KELOMPOK.items() for code in codes}
# For a kelompok outside the list above: what its kategori most often sells.
CATALOGUE_BY_KATEGORI = {
    "A": PRODUCE, "C": SNACKS, "F": TRADES, "G": SEMBAKO, "H": TRANSPORT, "I": WARUNG, "J": DIGITAL,
    "L": ROOMS, "M": PROFESSIONAL, "N": BUSINESS_SUPPORT, "P": EDUCATION, "Q": HEALTH, "R": ARTS, "S": LAUNDRY,
}


def catalogue_for(sector_code: str, kategori: str = "") -> Catalogue:
    return CATALOGUE_BY_KELOMPOK.get(sector_code) or CATALOGUE_BY_KATEGORI.get(kategori, SEMBAKO)


@dataclass(frozen=True)
class Seller:
    """What the shop generator needs of a synthetic business. `key` is passed through to each Shop (the
    loader uses the database id); `place` is the regency's name as people say it ("Sleman", "Yogyakarta")."""

    key: object
    sector_code: str
    kategori: str
    size_class: str
    catalogue_step: bool  # the business already shows a catalogue online (a readiness step)
    place: str = ""


def has_catalogue_step(row: dict) -> bool:
    """Whether a generated business (synth.businesses) did the readiness step "catalogue": its level counts
    the steps register (an NIB), catalogue, payment (a digital method) and marketplace, in any order."""
    payment = bool({"qris", "transfer", "ewallet"} & set(row["payment_methods"]))
    marketplace = "marketplace" in row["channels"]
    return (row["readiness_level"] or 0) - bool(row["nib"]) - payment - marketplace >= 1


@dataclass
class Shop:
    key: object
    tagline: str
    opening_hours: list[dict]
    products: list[dict]
    seller: Seller


def nice_price(amount: float) -> int:
    """Whole rupiah the way a shop writes prices: Rp 2.500, Rp 12.500, Rp 35.000, Rp 125.000, Rp 1.250.000."""
    if amount < 1_000:
        step = 100
    elif amount < 20_000:
        step = 500
    elif amount < 100_000:
        step = 1_000
    elif amount < 500_000:
        step = 5_000
    elif amount < 2_000_000:
        step = 25_000
    else:
        step = 100_000
    return max(step, int(round(amount / step)) * step)


def _nice_weight(grams: float) -> int:
    step = 10 if grams < 500 else 50 if grams < 5000 else 500
    return max(step, int(round(grams / step)) * step)


class _Draw:
    """The draws, all from one random.Random in a fixed order. `random()` and integer arithmetic instead of
    random.choice/sample/randrange: a third of the time over a million products."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.random = rng.random
        self.log_stock = math.log(STOCK_MEDIAN)

    def index(self, n: int) -> int:
        return int(self.random() * n)

    def count(self, seller: Seller, catalogue: Catalogue) -> int:
        median, sigma, most = PRODUCTS_PER_SHOP.get(seller.size_class, PRODUCTS_PER_SHOP["micro"])
        n = self.rng.lognormvariate(math.log(median), sigma)
        if catalogue.services:
            n *= SERVICE_SHOP_FACTOR
        return max(1, min(int(round(n)), most, catalogue.capacity))

    def product(self, item: Item, variant: Variant, descriptions: tuple[str, ...], made_to_order: bool) -> dict:
        random_ = self.random
        price = nice_price(math.exp(variant.log_low + random_() * (variant.log_high - variant.log_low)))
        hidden = random_() < HIDDEN_SHARE
        if made_to_order or random_() < SOLD_OUT_SHARE:
            stock = 0
        else:
            stock = min(STOCK_MOST, max(1, int(math.exp(self.log_stock + STOCK_SIGMA * self.rng.gauss()))))
        weight = variant.weight
        if weight is not None:
            weight = _nice_weight(weight[0] + random_() * (weight[1] - weight[0]))
        n = len(descriptions)
        first = int(random_() * n)
        second = (first + 1 + int(random_() * (n - 1))) % n if n > 1 else first
        return {
            "name": variant.name,
            "description": descriptions[first] if first == second else f"{descriptions[first]} {descriptions[second]}",
            "price": price,
            "stock": stock,
            "made_to_order": made_to_order,
            "unit": item.unit,
            "weight_grams": weight,
            "category": item.category,
            "is_active": not hidden,
            "listed_days_ago": int(random_() * LISTED_WITHIN_DAYS),
        }


class _Walk:
    """The variants of one Item a shop lists, in a seeded order without repeats: start + k * stride (mod n),
    with a stride coprime to n, visits every variant once."""

    __slots__ = ("item", "start", "stride", "used", "made_to_order")

    def __init__(self, draw: _Draw, item: Item, made_to_order: bool):
        self.item = item
        self.start = draw.index(len(item.variants))
        self.stride = item.strides[draw.index(len(item.strides))]
        self.used = 0
        self.made_to_order = made_to_order

    def next(self) -> Variant | None:
        n = len(self.item.variants)
        if self.used >= n:
            return None
        variant = self.item.variants[(self.start + self.used * self.stride) % n]
        self.used += 1
        return variant


def _products(draw: _Draw, seller: Seller, catalogue: Catalogue, count: int) -> list[dict]:
    # Whether the shop makes an item to order is its habit, decided once per item.
    walks = [
        _Walk(draw, item, item.made_to_order >= 1 or draw.random() < item.made_to_order) for item in catalogue.items
    ]
    draw.rng.shuffle(walks)
    # A shop sells a handful of kinds of things in several variants, not one of everything; more kinds come
    # in only when those run out of variants.
    active = walks[: max(1, min(len(walks), 2 + count // 3))]
    waiting = walks[len(active) :]
    descriptions = tuple(sentence.format(place=seller.place or "kota kami") for sentence in catalogue.descriptions)
    products: list[dict] = []
    names: set[str] = set()
    turn = 0
    while len(products) < count and (active or waiting):
        if not active:
            active.append(waiting.pop(0))
        walk = active[turn % len(active)]
        variant = walk.next()
        if variant is None:
            active.remove(walk)
            if waiting:
                active.append(waiting.pop(0))
            continue
        turn += 1
        if variant.name in names:  # two templates of one catalogue that happen to give the same name
            continue
        names.add(variant.name)
        products.append(draw.product(walk.item, variant, descriptions, walk.made_to_order))
    # Past every name the catalogue can give (a big shop of a narrow trade): numbered packs of the same.
    extra = 0
    while len(products) < count:
        base = products[extra % len(products)]
        extra += 1
        products.append({**base, "name": f"{base['name']} Paket {extra + 1}"[:120]})
    return products


def _counts(draw: _Draw, sellers: Iterable[Seller], total: int | None) -> list[tuple[Seller, int]]:
    """(seller, number of products) for the sellers that open a shop."""
    rng = draw.rng
    candidates = []
    for seller in sellers:
        share = SHOP_IF_CATALOGUE if seller.catalogue_step else SHOP_OTHERWISE
        if rng.random() < share:
            candidates.append((seller, draw.count(seller, catalogue_for(seller.sector_code, seller.kategori))))
    if total is None:
        return candidates
    if total == 0:
        return []
    if not candidates:
        raise SynthError("tidak ada usaha yang membuka toko; tambah jumlah usaha")
    rng.shuffle(candidates)
    available = sum(n for _, n in candidates)
    if available >= total:
        chosen, taken = [], 0
        for seller, n in candidates:
            n = min(n, total - taken)
            chosen.append((seller, n))
            taken += n
            if taken == total:
                break
        return chosen
    return _scaled(candidates, total)


def _scaled(candidates: list[tuple[Seller, int]], total: int) -> list[tuple[Seller, int]]:
    """Too few candidate products for the total: every shop lists proportionally more, as far as its
    catalogue has names for, found by bisecting the factor; what is left goes one by one to shops with room,
    and only past every catalogue's names to any shop (as numbered packs)."""
    capacity = [catalogue_for(seller.sector_code, seller.kategori).capacity for seller, _ in candidates]

    def counts(factor: float) -> list[int]:
        return [min(cap, int(n * factor)) for (_, n), cap in zip(candidates, capacity)]

    low, high = 1.0, float(total)
    for _ in range(40):
        middle = (low + high) / 2
        if sum(counts(middle)) > total:
            high = middle
        else:
            low = middle
    result = counts(low)
    short = total - sum(result)
    for i, cap in enumerate(capacity):
        if short <= 0:
            break
        if result[i] < cap:
            result[i] += 1
            short -= 1
    for i in itertools.cycle(range(len(result))):
        if short <= 0:
            break
        result[i] += 1
        short -= 1
    return [(seller, n) for (seller, _), n in zip(candidates, result)]


def generate_shops(sellers: Iterable[Seller], *, seed: int, total_products: int | None = None) -> Iterator[Shop]:
    """Yield the shops of `sellers` (in a seeded order) with their products; exactly `total_products` products
    in all when it is given, else each shop's own drawn number."""
    if not (isinstance(seed, int) and seed >= 0):
        raise SynthError("seed harus bilangan bulat 0 atau lebih")
    if total_products is not None and not (isinstance(total_products, int) and total_products >= 0):
        raise SynthError("jumlah produk harus bilangan bulat 0 atau lebih")
    draw = _Draw(random.Random(seed * 7_919 + 17))
    # The sellers are read once, as they come (a million businesses need not be in memory at once).
    for seller, count in _counts(draw, sellers, total_products):
        catalogue = catalogue_for(seller.sector_code, seller.kategori)
        place = seller.place or "kota kami"
        tagline = catalogue.taglines[draw.index(len(catalogue.taglines))].format(place=place)
        options = HOURS[catalogue.hours]
        hours = [] if draw.random() < NO_HOURS_SHARE else options[draw.index(len(options))]
        yield Shop(
            key=seller.key,
            tagline=tagline,
            opening_hours=[{**span, "days": list(span["days"])} for span in hours],
            products=_products(draw, seller, catalogue, count),
            seller=seller,
        )
