"""Tone marks restored from the Vietnamese text the system holds."""

from rag.query.tones import ToneRestorer

TEXT = ("Hiện nay, Việt Nam đã thiết lập quan hệ ngoại giao với 195 quốc gia. "
        "Tỉnh Nghệ An có nhiều người ở nước ngoài. Ngoài ra, ông nói về ngoại giao. "
        "Bao nhiêu người đã đến?")


def test_restore__marks_from_the_syllables_and_pairs_of_the_text():
    restorer = ToneRestorer([TEXT])
    assert restorer.restore("viet nam co quan he ngoai giao voi bao nhieu quoc gia tu lau?") == (
        "việt nam có quan hệ ngoại giao với bao nhiêu quốc gia tu lau?")  # "tu lau": never written


def test_restore__a_pair_decides_between_forms_of_one_syllable():
    # "ngoai" is "ngoài" before "ra" / in "nước ngoài", "ngoại" before "giao"
    restorer = ToneRestorer([TEXT, "nước ngoài", "ngoài ra"])
    assert restorer.restore("ngoai giao") == "ngoại giao"
    assert restorer.restore("nuoc ngoai") == "nước ngoài"


def test_restore__the_askers_capitals_and_marked_words_are_kept():
    restorer = ToneRestorer([TEXT])
    assert restorer.restore("Viet Nam, Hà Nội") == "Việt Nam, Hà Nội"
    assert restorer.restore("") == ""
