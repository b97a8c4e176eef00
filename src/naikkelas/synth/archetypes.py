"""Kinds of UMKM: what they are called, which KBLI 2020 kelompok they register under, who tends to run them.

Within a kategori the weights say which kinds are common (a warung kelontong far more than a photo studio);
the kategori shares themselves are in calibration.SECTOR_SHARES. Weights and the share of women owners are
assumptions (see docs/DATA.md), chosen to look like a real agency's list, not measured.

Name templates use: {title} (Bu, Pak, Mbak, Mas... by the owner's sex, age and region), {first} (the name
the owner is called by), {word} (Jaya, Makmur, Barokah...), {flower}, {produce}, {taste}, {food} (street
food), {subject} (what a course teaches).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Archetype:
    kategori: str
    weight: float
    kelompok: tuple[str, ...]
    templates: tuple[str, ...]
    female_share: float


ARCHETYPES = (
    # G: wholesale and retail trade, repair of motor vehicles.
    Archetype("G", 30, ("47111", "47112", "47191", "47829"),
              ("Warung {title} {first}", "Toko {word}", "Toko Kelontong {word}", "Warung {first}",
               "Toko {first} {word}", "Warung Sembako {title} {first}"), 0.6),
    Archetype("G", 12, ("47213", "47212", "47813", "47812"),
              ("Sayur Segar {title} {first}", "Lapak Buah {first}", "Kios Sayur {word}", "Sayur {title} {first}"),
              0.65),
    Archetype("G", 8, ("47241", "47821", "47211"),
              ("Toko Beras {word}", "Agen Sembako {first}", "Beras {word}"), 0.45),
    Archetype("G", 10, ("47711", "47832", "47714"),
              ("Butik {flower}", "Toko Baju {word}", "{first} Collection", "Grosir Busana {word}",
               "Kios Busana {title} {first}"), 0.65),
    Archetype("G", 8, ("45407", "45406"),
              ("Bengkel Motor {word}", "Bengkel {first} Motor", "{word} Motor", "Bengkel {title} {first}"), 0.03),
    Archetype("G", 7, ("47414", "47877"),
              ("Counter Pulsa {word}", "{first} Cell", "{word} Cell", "Konter {first} Ponsel"), 0.35),
    Archetype("G", 5, ("47528", "47521"),
              ("Toko Bangunan {word}", "TB {word}", "Material {word}"), 0.2),
    Archetype("G", 6, ("47242", "47822"),
              ("Toko Kue {flower}", "Jajan Pasar {title} {first}", "Kue {title} {first}"), 0.8),
    Archetype("G", 4, ("47724", "47723", "47843"),
              ("Jamu {title} {first}", "Toko Kosmetik {flower}", "{first} Beauty Shop"), 0.85),
    Archetype("G", 4, ("47781", "47789", "47881"),
              ("Galeri Kerajinan {word}", "Kios Oleh-oleh {word}", "Oleh-oleh {title} {first}"), 0.55),
    Archetype("G", 3, ("47611",), ("Toko ATK {word}", "Alat Tulis {first}"), 0.5),
    Archetype("G", 3, ("47772",), ("Pangkalan Gas {title} {first}", "Agen Elpiji {word}"), 0.4),
    # I: accommodation and food service.
    Archetype("I", 35, ("56102",),
              ("Warung Makan {title} {first}", "Warung {food} {title} {first}", "Rumah Makan {word}",
               "Warung Makan {flower}"), 0.6),
    Archetype("I", 25, ("56103", "56104"),
              ("{food} {title} {first}", "{food} {word}", "Kedai {food} {first}", "Angkringan {title} {first}"),
              0.4),
    Archetype("I", 20, ("56303", "56304"),
              ("Kedai Kopi {word}", "Es Teh {word}", "{first} Coffee", "Kopi {title} {first}",
               "Jus Buah {flower}"), 0.35),
    Archetype("I", 10, ("56210",), ("Katering {title} {first}", "Dapur {flower}", "Katering {word}"), 0.8),
    Archetype("I", 10, ("55130", "55199"),
              ("Homestay {flower}", "Pondok {word}", "Guest House {flower}", "Penginapan {title} {first}"), 0.4),
    # C: manufacturing (home industry).
    Archetype("C", 22, ("10794",),
              ("Keripik {produce} {taste}", "Kerupuk {word}", "Peyek {title} {first}",
               "Keripik {produce} {title} {first}"),
              0.7),
    Archetype("C", 18, ("10710", "10792"),
              ("Roti {word}", "Kue {title} {first}", "Bakpia {word}", "Dapur Kue {flower}", "Bolu {first}"), 0.75),
    Archetype("C", 10, ("10391", "10392"), ("Tempe {title} {first}", "Tahu {word}", "Tempe {word}"), 0.5),
    Archetype("C", 10, ("10750", "10799"),
              ("Sambal {title} {first}", "Frozen Food {flower}", "Olahan {produce} {word}"), 0.7),
    Archetype("C", 8, ("13134",), ("Batik Tulis {flower}", "Batik {first}", "Batik Cap {word}"), 0.6),
    Archetype("C", 15, ("14111", "14120"),
              ("Konveksi {word}", "Penjahit {first}", "Jahit {title} {first}", "Konveksi {first}"), 0.6),
    Archetype("C", 10, ("16291", "16293", "32903"),
              ("Kerajinan Bambu {word}", "Anyaman {word}", "Ukir {word}", "Kerajinan {title} {first}"), 0.4),
    Archetype("C", 5, ("31001",), ("Mebel {word}", "Furnitur {first}", "Mebel {title} {first}"), 0.1),
    Archetype("C", 5, ("10761",), ("Kopi {word}", "Kopi Bubuk {title} {first}"), 0.45),
    # A: agriculture, livestock, fish farming.
    Archetype("A", 40, ("01131", "01133", "01132"), ("Kebun Sayur {first}", "Tani {word}", "Kebun {title} {first}"),
              0.35),
    Archetype("A", 30, ("01461", "01462"), ("Ternak Ayam {word}", "Peternakan {first}", "Telur {title} {first}"),
              0.3),
    Archetype("A", 30, ("03221", "03226"), ("Budidaya Lele {word}", "Kolam Ikan {first}", "Ikan Segar {title} {first}"),
              0.25),
    # S: other services.
    Archetype("S", 25, ("96200",), ("Laundry {word}", "{first} Laundry", "Laundry Kiloan {flower}"), 0.6),
    Archetype("S", 20, ("96112",), ("Salon {flower}", "Salon {first}", "Salon Kecantikan {word}"), 0.9),
    Archetype("S", 10, ("96111",), ("Pangkas Rambut {word}", "Barbershop {first}", "Cukur {title} {first}"), 0.1),
    Archetype("S", 20, ("95120", "95210"), ("Servis HP {word}", "Servis Elektronik {first}", "{first} Service"), 0.1),
    Archetype("S", 15, ("95291",), ("Vermak Jeans {word}", "Permak {title} {first}"), 0.5),
    Archetype("S", 10, ("96121",), ("Pijat Tradisional {title} {first}", "Rumah Pijat {flower}"), 0.6),
    # H: transport and storage.
    Archetype("H", 45, ("49424",), ("Ojek {first}", "Ojek {title} {first}", "Ojek {word}"), 0.05),
    Archetype("H", 25, ("49422",), ("Rental Mobil {word}", "{first} Trans", "Sewa Mobil {title} {first}"), 0.15),
    Archetype("H", 20, ("53201",), ("Jasa Antar {word}", "Kurir {first}", "{word} Ekspres"), 0.2),
    Archetype("H", 10, ("49431",), ("Angkutan Barang {word}", "Pikap {title} {first}"), 0.05),
    # N: rental and business support.
    Archetype("N", 45, ("82190",), ("Fotokopi {word}", "Fotokopi {first}", "Print & Fotokopi {flower}"), 0.45),
    Archetype("N", 35, ("77291",), ("Sewa Tenda {word}", "Dekorasi {flower}", "Sewa Alat Pesta {first}"), 0.45),
    Archetype("N", 20, ("79111",), ("{word} Tour & Travel", "Wisata {flower}"), 0.4),
    # P: education.
    Archetype("P", 60, ("85495",), ("Bimbel {word}", "Les Privat {title} {first}", "Bimbingan Belajar {flower}"), 0.65),
    Archetype("P", 40, ("85493", "85499"), ("Kursus {subject} {word}", "Kursus {subject} {title} {first}"), 0.6),
    # M: professional services.
    Archetype("M", 70, ("74201",), ("Foto Studio {word}", "{first} Photography", "Studio Foto {flower}"), 0.35),
    Archetype("M", 30, ("73100",), ("Desain {word}", "Sablon & Desain {first}", "Reklame {word}"), 0.3),
    # Q: health.
    Archetype("Q", 100, ("86902",), ("Pengobatan Tradisional {title} {first}", "Bekam {word}", "Herbal {flower}"), 0.5),
    # R: arts and recreation.
    Archetype("R", 100, ("90011", "90029"), ("Sanggar Tari {flower}", "Sanggar Seni {word}", "Karawitan {word}"), 0.55),
    # J: information and communication.
    Archetype("J", 100, ("62019", "63122"), ("{first} Digital", "Jasa Website {word}", "{word} Media"), 0.3),
    # F: construction (trades).
    Archetype("F", 100, ("43211", "43303", "43302"),
              ("Tukang Bangunan {title} {first}", "Jasa Renovasi {word}", "Instalasi Listrik {first}"), 0.03),
    # L: real estate (rooms to let).
    Archetype("L", 100, ("68111",), ("Kos {flower}", "Kost {title} {first}", "Kos Putri {flower}"), 0.6),
)
