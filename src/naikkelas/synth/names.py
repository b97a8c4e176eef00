"""Owner names, honorifics and the words shop names are made of.

Names follow the province's main naming tradition (Javanese, Sundanese, Balinese, Batak, Minang, Bugis,
Malay, eastern Indonesia), because a list of "Wayan" in Aceh or "Siregar" in Yogyakarta would look wrong
to the officers who read it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    female: tuple[str, ...]
    male: tuple[str, ...]
    # Second names or family names, for women and for men; "" means the owner goes by one name, common in
    # Java. Family names (Batak, Minahasa, eastern Indonesia) appear in both.
    second_female: tuple[str, ...]
    second_male: tuple[str, ...]
    # (young, older) honorific pairs, as a customer would call the owner: ("Mbak", "Bu"), ("Mas", "Pak").
    female_titles: tuple[str, str]
    male_titles: tuple[str, str]


JAWA = NamePool(
    female=(
        "Sri", "Siti", "Wahyuni", "Endang", "Sumiyati", "Suparmi", "Lestari", "Rahayu", "Sulastri", "Tri",
        "Dwi", "Ratna", "Yuli", "Nur", "Wulan", "Dewi", "Rina", "Ani", "Tutik", "Sumarni", "Kartini",
        "Purwanti", "Ningsih", "Retno", "Indah", "Ayu", "Putri", "Fitri", "Anisa", "Nurul",
    ),
    male=(
        "Budi", "Slamet", "Agus", "Bambang", "Joko", "Sugeng", "Heru", "Wahyu", "Eko", "Bayu", "Dwi", "Hadi",
        "Suharto", "Sutrisno", "Purnomo", "Yanto", "Sigit", "Gunawan", "Teguh", "Rudi", "Anton", "Arif",
        "Dimas", "Fajar", "Rizki", "Aditya", "Yusuf", "Mulyono", "Supri", "Darmaji",
    ),
    second_female=(
        "", "", "", "Handayani", "Lestari", "Wati", "Sari", "Rahmawati", "Wahyuningsih", "Susanti",
        "Purwaningsih", "Kurniasih", "Astuti", "Widayati",
    ),
    second_male=(
        "", "", "", "Santoso", "Wibowo", "Susanto", "Setiawan", "Prasetyo", "Nugroho", "Saputra",
        "Kurniawan", "Hidayat", "Utomo", "Purwanto", "Raharjo", "Sutanto",
    ),
    female_titles=("Mbak", "Bu"),
    male_titles=("Mas", "Pak"),
)

SUNDA = NamePool(
    female=(
        "Euis", "Enok", "Neneng", "Cucu", "Imas", "Yayah", "Lilis", "Iis", "Dedeh", "Nining", "Siti",
        "Rina", "Ai", "Ela", "Nurhayati", "Santi", "Rini", "Popon", "Tati", "Dewi", "Intan", "Ratna",
    ),
    male=(
        "Asep", "Ujang", "Dadang", "Cecep", "Ade", "Dede", "Iwan", "Ayi", "Yayan", "Dodi", "Engkus", "Deden",
        "Aep", "Rahmat", "Hendra", "Agus", "Dani", "Encep", "Jajang", "Ruhiyat", "Ridwan", "Yudi",
    ),
    second_female=("", "", "Nurjanah", "Rohayati", "Kurniasih", "Nurlaela", "Komalasari", "Rahmawati"),
    second_male=(
        "", "", "Suryana", "Sopandi", "Kurnia", "Hidayat", "Permana", "Sukmana", "Supriatna", "Rohendi",
        "Saepudin", "Mulyana", "Gunawan",
    ),
    female_titles=("Teh", "Bu"),
    male_titles=("Kang", "Pak"),
)

BALI = NamePool(
    female=("Ni Made", "Ni Wayan", "Ni Ketut", "Ni Nyoman", "Ni Putu", "Ni Komang", "Ni Kadek", "Ni Luh"),
    male=("I Made", "I Wayan", "I Ketut", "I Nyoman", "I Putu", "I Komang", "I Kadek", "I Gede", "I Gusti Ngurah"),
    second_female=("Sari", "Suartini", "Ariani", "Astuti", "Artini", "Suryani", "Puspita", "Wulandari"),
    second_male=("Sudarma", "Suarjana", "Wirawan", "Budiasa", "Sukerta", "Widiantara", "Darmawan", "Adnyana"),
    female_titles=("Mbok", "Bu"),
    male_titles=("Bli", "Pak"),
)

_BATAK_MARGA = (
    "Siregar", "Nasution", "Simanjuntak", "Sitorus", "Hutapea", "Lubis", "Harahap", "Sihombing",
    "Pardede", "Situmorang", "Sinaga", "Simatupang", "Tambunan", "Manurung", "Panjaitan", "Ginting",
)

BATAK = NamePool(
    female=("Rosmawati", "Lamtiur", "Tiurma", "Duma", "Ruth", "Sarma", "Nurhayati", "Melati", "Friska", "Debora"),
    male=("Togar", "Parlindungan", "Mangasi", "Juntak", "Rudi", "Hotman", "Darwin", "Poltak", "Benny", "Maruli"),
    second_female=_BATAK_MARGA,
    second_male=_BATAK_MARGA,
    female_titles=("Kak", "Bu"),
    male_titles=("Bang", "Pak"),
)

MINANG = NamePool(
    female=("Yulia", "Rosna", "Nurlela", "Erni", "Fitri", "Yusnimar", "Desi", "Elvi", "Nurhasanah", "Yenni"),
    male=("Rustam", "Syafri", "Irwan", "Zulkifli", "Yusril", "Hendri", "Afrizal", "Jasman", "Ramli", "Edi"),
    second_female=("", "", "Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung", "Jambak", "Yanti"),
    second_male=("", "Syahputra", "Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung", "Jambak", "Amir", "Rahman"),
    female_titles=("Uni", "Bu"),
    male_titles=("Uda", "Pak"),
)

BUGIS = NamePool(
    female=("Andi Nurul", "Hasnah", "Sitti", "Rahmawati", "Nurhayati", "Haslinda", "Kasmawati", "Irmawati"),
    male=("Andi", "Muhammad", "Baharuddin", "Syamsuddin", "Ramli", "Hasanuddin", "Arifin", "Amiruddin"),
    second_female=("", "", "Sirajuddin", "Latif", "Hamzah", "Rauf", "Basri"),
    second_male=("", "Sirajuddin", "Latif", "Hamzah", "Rauf", "Haris", "Basri", "Ahmad", "Mappe"),
    female_titles=("Kak", "Bu"),
    male_titles=("Daeng", "Pak"),
)

MELAYU = NamePool(
    female=("Nurhaliza", "Aisyah", "Fatimah", "Zubaidah", "Rohani", "Salmah", "Mariani", "Nurul", "Hartini"),
    male=("Muhammad", "Ahmad", "Zulkarnain", "Syahrial", "Hasan", "Rizal", "Fauzi", "Azhar", "Iskandar"),
    second_female=("", "", "Ismail", "Abdullah", "Yusuf", "Hamid", "Ibrahim", "Syahputri", "Hasibuan"),
    second_male=("", "", "Ismail", "Abdullah", "Yusuf", "Hamid", "Ibrahim", "Syahputra", "Rahman", "Hasibuan"),
    female_titles=("Kak", "Bu"),
    male_titles=("Bang", "Pak"),
)

_TIMUR_FAMILY = (
    "Kambu", "Wenda", "Rumbiak", "Ndiken", "Lete", "Sole", "Bria", "Fanggidae", "Lakburlawal",
    "Pattiasina", "Tuhumury", "Leiwakabessy", "Manafe", "Nahak", "Kolo",
)

TIMUR = NamePool(
    female=("Maria", "Yohana", "Elisabeth", "Agustina", "Margaretha", "Theresia", "Veronika", "Yuliana", "Martha"),
    male=("Yohanes", "Petrus", "Fransiskus", "Yakobus", "Markus", "Stefanus", "Paulus", "Agustinus", "Frans"),
    second_female=_TIMUR_FAMILY,
    second_male=_TIMUR_FAMILY,
    female_titles=("Mama", "Ibu"),
    male_titles=("Bapa", "Bapak"),
)

_MINAHASA_FAM = ("Sumampouw", "Rondonuwu", "Kalalo", "Wowor", "Mandagi", "Lumentut", "Pangemanan", "Tumbelaka")

MINAHASA = NamePool(
    female=("Grace", "Meiske", "Jeane", "Stevi", "Vonny", "Olvie", "Sandra", "Deasy", "Lidya"),
    male=("Stenly", "Jemmy", "Ferry", "Hendrik", "Roy", "Jefry", "Johny", "Marthen", "Recky"),
    second_female=_MINAHASA_FAM,
    second_male=_MINAHASA_FAM,
    female_titles=("Ci", "Ibu"),
    male_titles=("Ko", "Bapak"),
)

NASIONAL = NamePool(
    female=JAWA.female[:15] + SUNDA.female[:6] + MELAYU.female[:5] + ("Linda", "Yanti", "Maya", "Novi"),
    male=JAWA.male[:15] + SUNDA.male[:6] + MELAYU.male[:5] + ("Hendra", "Robert", "Andi", "Fikri"),
    second_female=JAWA.second_female + MELAYU.second_female[2:] + _BATAK_MARGA[:4],
    second_male=JAWA.second_male + MELAYU.second_male[2:] + _BATAK_MARGA[:4],
    female_titles=("Mbak", "Bu"),
    male_titles=("Bang", "Pak"),
)

_BY_PROVINCE = {
    "11": MELAYU, "12": BATAK, "13": MINANG, "14": MELAYU, "15": MELAYU, "16": MELAYU, "17": MELAYU,
    "18": JAWA, "19": MELAYU, "21": MELAYU, "31": NASIONAL, "32": SUNDA, "33": JAWA, "34": JAWA, "35": JAWA,
    "36": SUNDA, "51": BALI, "52": MELAYU, "53": TIMUR, "61": MELAYU, "62": MELAYU, "63": MELAYU, "64": NASIONAL,
    "65": MELAYU, "71": MINAHASA, "72": BUGIS, "73": BUGIS, "74": BUGIS, "75": BUGIS, "76": BUGIS,
    "81": TIMUR, "82": TIMUR, "91": TIMUR, "92": TIMUR, "93": TIMUR, "94": TIMUR, "95": TIMUR, "96": TIMUR,
}


def pool_for(province_code: str) -> NamePool:
    return _BY_PROVINCE.get(province_code, NASIONAL)


# Words shop names are made of.
GOOD_WORDS = (
    "Jaya", "Makmur", "Barokah", "Berkah", "Sejahtera", "Sentosa", "Abadi", "Mandiri", "Maju", "Lancar",
    "Sumber Rejeki", "Rejeki", "Mulia", "Indah", "Amanah", "Putra", "Putri", "Sari", "Mekar", "Sehati",
    "Bahagia", "Lestari", "Harapan", "Sinar", "Mitra", "Karya", "Baru", "Sumber Makmur", "Tiga Saudara",
    "Dua Putri", "Murah", "Rezeki Nomplok", "Laris", "Manunggal", "Utama", "Sakinah", "Nusantara",
)
FLOWERS = (
    "Melati", "Mawar", "Kenanga", "Cempaka", "Anggrek", "Sekar", "Kamboja", "Teratai", "Dahlia", "Seruni",
    "Flamboyan", "Wijaya Kusuma", "Srikandi", "Kemuning", "Asoka",
)
PRODUCE = ("Pisang", "Singkong", "Tempe", "Talas", "Ubi", "Sukun", "Bayam", "Jamur", "Nangka", "Salak", "Tahu")
TASTES = ("Manis", "Gurih", "Renyah", "Pedas", "Asli", "Mantap", "Nikmat", "Kriuk", "Lezat", "Maknyus")
STREET_FOOD = (
    "Bakso", "Mie Ayam", "Soto Ayam", "Sate Ayam", "Nasi Goreng", "Gorengan", "Pecel Lele", "Martabak",
    "Siomay", "Gudeg", "Lotek", "Bubur Ayam", "Ayam Geprek", "Seblak", "Nasi Uduk", "Rawon", "Bakmi Jawa",
)
STREETS = (
    "Mawar", "Melati", "Merdeka", "Sudirman", "Diponegoro", "Pemuda", "Pahlawan", "Kenanga", "Cempaka",
    "Veteran", "Gajah Mada", "Kartini", "Sultan Agung", "Flamboyan", "Anggrek", "Masjid", "Pasar",
    "Raya", "Kebon", "Sawo", "Nangka", "Mangga", "Kelapa", "Bougenville",
)
SUBJECTS = ("Bahasa Inggris", "Matematika", "Komputer", "Menjahit", "Mengaji", "Musik", "Tari")
