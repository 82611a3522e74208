"""kimu import with careless or hostile files: the encoding decided from the whole file, every bad
byte, NUL, oversized field or cut-short file refused with its line in one short line, and the
database file byte for byte as it was."""

import hashlib
import json
import re
from contextlib import contextmanager

import pytest
from conftest import templated

from kimu_cli import csvfiles
from kimu_cli.errors import KimuError

HEADER = "ref,date,status,note\r\n"


def rows(count, first=2, note=""):
    """Attendance rows of D-1 in November 2026, one a line, days first.. (cycling within the month)."""
    return "".join(f"D-1,{(first + i - 2) % 20 + 2:02d}.11.2026,møtt,{note}\r\n" for i in range(count))


def write(tmp_path, data, name="file.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@templated
def enrolled(register):
    """D-1 with Kari from 01.09.2026."""
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-09-01")
    return register


@contextmanager
def unchanged(kimu):
    """Fails when the database file (and its WAL, if any) is not byte for byte as it was."""

    def digest():
        files = [kimu.path, kimu.path.with_name(kimu.path.name + "-wal")]
        return [hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None for f in files]

    before = digest()
    yield
    assert digest() == before


def refused(kimu, *args):
    """Run an import that must be refused: exit 1, one short line, the database untouched."""
    with unchanged(kimu):
        err = kimu.fails("import", *args)
    assert "\n" not in err and len(err) < 300, err
    return err


def notes(kimu):
    return [r["note"] for r in kimu.query("SELECT note FROM attendance ORDER BY date")]


# --- the encoding ---------------------------------------------------------------------------------


def test_utf8_with_one_windows_1252_byte_is_refused_at_its_line(enrolled, tmp_path):
    data = (HEADER + rows(5)).encode() + "D-1,10.11.2026,møtt,café\r\n".encode("cp1252") + rows(3, 11).encode()
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert err.startswith("kimu: file.csv: line 7: byte 0xF8 is not utf-8")
    assert "mixes encodings" in err and "--encoding" in err
    assert notes(enrolled) == []


def test_a_bad_byte_far_past_the_first_megabyte_is_named_at_its_line(enrolled, tmp_path):
    body = rows(60_000, note="på Årstad")  # 2 MB
    assert len(body.encode()) > 1 << 20
    data = (HEADER + body).encode() + b"D-1,10.11.2026,m\xf8tt,\r\n" + rows(10).encode()
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 60002: byte 0xF8 is not utf-8" in err


def test_windows_1252_first_and_utf8_later_is_a_mix_refused_at_the_first_bad_byte(enrolled, tmp_path):
    ascii_rows = rows(40_000).replace("møtt", "present")  # over a megabyte of ASCII first
    data = (HEADER + ascii_rows).encode() + "D-1,10.11.2026,syk,lege på Årstad\r\n".encode("cp1252")
    data += rows(3).encode()  # møtt in UTF-8
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 40002: byte 0xE5 is not utf-8" in err and "mixes encodings" in err


def test_a_windows_1252_file_is_read_whole_as_windows_1252(enrolled, tmp_path):
    text = HEADER + rows(2) + "D-1,04.11.2026,ikke møtt,Ærlig talt: søster på Åsane\r\n"
    out = enrolled.ok("import", "attendance", write(tmp_path, text.encode("cp1252")))
    assert "cp1252" in out and "3 inserted" in out
    assert notes(enrolled) == [None, None, "Ærlig talt: søster på Åsane"]


def test_a_windows_1252_participants_file_keeps_its_letters(register, tmp_path):
    text = ("Deltaker;Navn;Arbeidsleder;Startdato\r\n"
            "D-7;Åse Ørnæs;Håkon Ødegård;01.09.2026\r\n")
    register.ok("import", "participants", write(tmp_path, text.encode("cp1252")))
    rows_ = json.loads(register.ok("participant", "list", "--format", "json"))
    assert [(r["ref"], r["name"], r["leader"]) for r in rows_] == [("D-7", "Åse Ørnæs", "Håkon Ødegård")]


def test_a_byte_windows_1252_leaves_undefined_is_refused(enrolled, tmp_path):
    data = (HEADER + rows(2)).encode("cp1252") + b"D-1,04.11.2026,m\x81tt,\r\n"
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 4: byte 0x81 is neither utf-8 nor cp1252" in err


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_a_bom(enrolled, tmp_path, bom):
    data = bom + (HEADER + rows(2, note="på Årstad")).encode()
    out = enrolled.ok("import", "attendance", write(tmp_path, data))
    assert ("utf-8-sig" if bom else "utf-8,") in out and "2 inserted" in out
    assert notes(enrolled) == ["på Årstad"] * 2


def test_utf8_with_a_bom_and_a_bad_byte_is_refused_at_its_line(enrolled, tmp_path):
    data = b"\xef\xbb\xbf" + (HEADER + rows(2)).encode() + b"D-1,04.11.2026,m\xf8tt,\r\n"
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 4: byte 0xF8 is not utf-8" in err


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_excels_unicode_text_utf16_with_a_bom_and_tabs(enrolled, tmp_path, codec):
    text = (HEADER + rows(2, note="på Årstad") + "D-1,04.11.2026,ikke møtt,Ørsta\r\n").replace(",", "\t")
    bom = "\ufeff".encode(codec)
    out = enrolled.ok("import", "attendance", write(tmp_path, bom + text.encode(codec)))
    assert "utf-16" in out and "'tab'" in out and "3 inserted" in out
    assert notes(enrolled) == ["på Årstad", "på Årstad", "Ørsta"]


def test_utf16_with_a_broken_character_is_refused_at_its_line(enrolled, tmp_path):
    text = (HEADER + rows(2)).replace(",", "\t")
    data = text.encode("utf-16") + "D-1\t04.11.2026\tm".encode("utf-16-le") + b"\x00\xd8" + "tt\r\n".encode("utf-16-le")
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 4: bytes 0x00 0xD8 are not utf-16" in err


def test_utf16_without_a_bom_is_refused_with_a_hint(enrolled, tmp_path):
    err = refused(enrolled, "attendance", write(tmp_path, (HEADER + rows(1)).encode("utf-16-le")))
    assert "line 1: a NUL byte" in err and "--encoding utf-16-le" in err
    path = write(tmp_path, (HEADER + rows(1)).replace(",", "\t").encode("utf-16-le"))
    assert "1 inserted" in enrolled.ok("import", "attendance", path, "--encoding", "utf-16-le")


def test_encoding_given_is_decoded_strictly_and_a_bad_byte_named_at_its_line(enrolled, tmp_path):
    text = HEADER + rows(40_000, note="på Årstad") + "D-1,10.11.2026,møtt,café\r\n"
    path = write(tmp_path, text.encode("cp1252"))
    err = refused(enrolled, "attendance", path, "--encoding", "utf-8")
    assert "line 2: byte 0xF8 is not utf-8" in err and "--encoding" in err
    path = write(tmp_path, (HEADER + rows(40_000)).encode() + "D-1,10.11.2026,møtt,café\r\n".encode("cp1252"))
    err = refused(enrolled, "attendance", path, "--encoding", "utf-8")
    assert "line 40002: byte 0xF8 is not utf-8" in err


def test_an_encoding_that_is_not_a_text_encoding_is_refused(enrolled, tmp_path):
    path = write(tmp_path, (HEADER + rows(1)).encode())
    for name in ("rot13", "base64", "no-such-codec"):
        assert "unknown encoding" in refused(enrolled, "attendance", path, "--encoding", name)


# --- NUL bytes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, text", [
    ("attendance", HEADER + rows(10) + "D-1,12.11.2026,møtt,ring\0te\r\n"),
    ("attendance", HEADER + rows(10) + "D-\0 1,12.11.2026,møtt,\r\n"),
    ("participants", "ref;leader;start_date;notes\r\n"
     + "".join(f"D-{i};Kari Nordmann;01.09.2026;\r\n" for i in range(10)) + "D-7\0;Kari Nordmann;01.09.2026;\r\n"),
])
@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_a_nul_byte_in_a_ref_or_a_note_is_refused_at_its_line(enrolled, tmp_path, kind, text, encoding):
    err = refused(enrolled, kind, write(tmp_path, text.encode(encoding)))
    assert "line 12: a NUL byte (\\0)" in err


def test_a_nul_byte_in_a_utf16_file_is_refused_at_its_line(enrolled, tmp_path):
    text = (HEADER + rows(3) + "D-1,12.11.2026,møtt,a\0b\r\n").replace(",", "\t")
    err = refused(enrolled, "attendance", write(tmp_path, text.encode("utf-16")))
    assert "line 5: a NUL byte" in err


def test_a_nul_byte_on_a_line_ended_by_a_lone_carriage_return_is_counted_as_csv_counts(enrolled, tmp_path):
    text = (HEADER + rows(3)).replace("\r\n", "\r") + "D-1,12.11.2026,m\0tt,\r"
    assert "line 5: a NUL byte" in refused(enrolled, "attendance", write(tmp_path, text.encode()))


# --- sizes ----------------------------------------------------------------------------------------


def test_a_field_over_the_limit_is_one_short_line(enrolled, tmp_path):
    data = (HEADER + rows(6)).encode() + b"D-1,12.11.2026,m\xc3\xb8tt," + b"x" * 200_000 + b"\r\n"
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert err == "kimu: file.csv: line 8: a field is longer than 100000 characters (a quote \" left open?)"


def test_a_50_megabyte_line_is_one_short_line(enrolled, tmp_path):
    data = (HEADER + rows(6)).encode() + b"D-1,12.11.2026,m\xc3\xb8tt," + b"x" * (50 << 20) + b"\r\n"
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert err == ("kimu: file.csv: line 8: a line of more than 1 MiB: no row of a register is that long "
                   "(is it the file you meant?)")


def test_a_long_header_is_one_short_line(enrolled, tmp_path):
    err = refused(enrolled, "attendance", write(tmp_path, b"ref," + b"y" * 200_000 + b"\r\n" + rows(1).encode()))
    assert "line 1: a field is longer than 100000 characters" in err
    cells = ",".join(f"{i:04d}" + "z" * 800 for i in range(1_000))  # 800 kB, no cell too long
    err = refused(enrolled, "attendance", write(tmp_path, (cells + "\r\n" + rows(1)).encode()))
    assert "missing column 'ref'" in err and "'0000zzzz" in err and "(1000 cells)" in err
    assert "0004" not in err
    err = refused(enrolled, "attendance", write(tmp_path, b"ref," + b"y" * (8 << 20) + b"\r\n" + rows(1).encode()))
    assert "line 1: a line of more than 1 MiB" in err


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
@pytest.mark.parametrize("before", [0, 5, csvfiles.CHUNK_BYTES - 3])  # where the line lies among the chunks
def test_a_line_of_the_limit_is_read_and_one_byte_more_is_refused(tmp_path, ending, before):
    """The limit counts a line's bytes without its ending, whichever ending the csv reader knows."""

    def line(size):  # cells of 100 bytes at most: no field over its own limit
        return b"".join(b"x" * min(99, size - i) + b"," * (size - i > 99) for i in range(0, size, 100))

    head = line(before) + ending if before else b""
    for extra, fits in ((0, True), (1, False)):
        path = write(tmp_path, head + line(csvfiles.LINE_LIMIT + extra) + ending + b"y" * 10 + ending)
        if fits:
            with csvfiles.open_csv(path) as opened:
                assert opened.lines() == (3 if before else 2) * (ending != b"\r")
        else:
            with pytest.raises(KimuError, match=rf"line {2 if before else 1}: a line of more than 1 MiB"), \
                    csvfiles.open_csv(path):
                pass


@pytest.mark.parametrize("later", [b"\0", b"\x81", "ø".encode("cp1252")])
def test_a_long_line_before_a_bad_byte_in_the_same_chunk_is_the_first_problem(tmp_path, later):
    path = write(tmp_path, b"ref;date\n" + b"x;" * (csvfiles.LINE_LIMIT // 2 + 5) + b"\nrow\nrow\n" + later + b"\n")
    with pytest.raises(KimuError, match=r"line 2: a line of more than 1 MiB"), csvfiles.open_csv(path):
        pass


def test_a_long_last_line_without_an_end_is_refused(tmp_path):
    path = write(tmp_path, b"ref;date\n" + b"x;" * (csvfiles.LINE_LIMIT // 2 + 1))
    with pytest.raises(KimuError, match=r"line 2: a line of more than 1 MiB"), csvfiles.open_csv(path):
        pass


def test_a_file_of_many_short_lines_ended_by_carriage_returns_is_no_long_line(tmp_path):
    path = write(tmp_path, b"ref;date;status\r" + b"A1;2026-11-20;present\r" * 200_000)  # 4.6 MB
    with csvfiles.open_csv(path) as opened:
        assert sum(1 for _ in opened.rows()) == 200_000


@pytest.mark.parametrize("codec", ["utf-8", "cp1252", "utf-16"])
def test_a_line_of_millions_of_empty_cells_is_refused_before_it_is_read(enrolled, tmp_path, codec):
    """The csv reader builds a line's cells at once, about ten times its size in memory: a line over
    1 MiB is refused while the file is read through, in every kind of file, at its line."""
    text = HEADER + rows(2, note="Bærum") + "," * (3 << 20) + "\r\n" + rows(1)
    err = refused(enrolled, "attendance", write(tmp_path, text.encode(codec)))
    limit = ("1048576 characters", "1048576 tegn") if codec == "utf-16" else ("1 MiB", "1 MiB")  # UTF-16: decoded
    assert err.startswith(f"kimu: file.csv: line 4: a line of more than {limit[0]}"), err
    assert f"linje 4: en linje på mer enn {limit[1]}" in enrolled.fails(
        "import", "attendance", write(tmp_path, text.encode(codec)), "--lang", "nb")


def test_what_a_decoder_holds_back_counts_toward_the_line_and_is_read_at_the_end(enrolled, tmp_path):
    """UTF-7 keeps a run of base64 to itself until the run ends: a run never ended is a line too long
    (it took a minute and more), and a NUL in the text it gives back at the end of the file is found."""
    long_run = b"ref,date,status\r\n+" + b"AGEAYQBh" * (1 << 18)  # 2 MiB, never ended
    err = refused(enrolled, "attendance", write(tmp_path, long_run), "--encoding", "utf-7")
    assert "line 2: a line of more than 1048576 characters" in err
    nul_at_end = b"ref,date,status,note\r\nD-1,12.11.2026,present,ok+AAA"  # +AAA: U+0000, given at the end
    assert "line 2: a NUL byte" in refused(enrolled, "attendance", write(tmp_path, nul_at_end), "--encoding", "utf-7")


@pytest.mark.parametrize("name", ["utf-16", "punycode", "undefined"])
def test_a_codec_that_refuses_the_whole_file_is_one_short_line(enrolled, tmp_path, name):
    """UTF-16 given for a file with no BOM (and the like) is refused with no byte to name."""
    err = refused(enrolled, "attendance", write(tmp_path, b"ref,date,status\r\nD-1,12.11.2026,present\r\n"),
                  "--encoding", name)
    assert err == (f"kimu: file.csv: line 1: the file cannot be read as {name}; give the right --encoding "
                   "(e.g. cp1252 for Excel's default, utf-8)")


def test_a_header_of_more_cells_than_a_spreadsheet_has_is_refused(enrolled, tmp_path):
    cells = "ref,date,status," + ",".join(f"c{i}" for i in range(20_000))
    err = refused(enrolled, "attendance", write(tmp_path, (cells + "\r\n" + rows(1)).encode()))
    assert "line 1: the header has 20,003 cells" in err


def test_a_long_cell_is_quoted_by_its_start_only(enrolled, tmp_path):
    path = write(tmp_path, (HEADER + "D-1," + "9" * 90_000 + ",møtt,\r\n" + rows(2)).encode())
    with unchanged(enrolled):
        err = enrolled.fails("import", "attendance", path)
    assert len(err) < 300
    assert re.search(r"line 2: date: '9{40}…' is not a date", err)


def test_long_names_in_two_columns_of_one_meaning_are_quoted_by_their_start(enrolled, tmp_path):
    data = f"ref,date,status,notat,{'-' * 5_000}merknad\r\n" + rows(1)  # both 'note' ('-' is ignored)
    err = refused(enrolled, "attendance", write(tmp_path, data.encode()))
    assert "columns 'notat' and '" + "-" * 40 + "…' both mean 'note'" in err


# --- files cut short ------------------------------------------------------------------------------


def test_a_file_cut_inside_a_utf8_character_is_refused(enrolled, tmp_path):
    data = (HEADER + rows(5)).encode() + "D-1,12.11.2026,møtt,Å".encode()[:-1]
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 7: the file ends inside a utf-8 character (is it cut short?)" in err


@pytest.mark.parametrize("lang, says", [("en", "line 4: the file ends inside a utf-16 character (is it cut short?)"),
                                         ("nb", "linje 4: filen slutter midt i et utf-16-tegn (er den avkortet?)")])
def test_a_utf16_file_cut_inside_a_character_is_refused_in_the_language_of_the_run(enrolled, tmp_path, lang, says):
    data = (HEADER + rows(2) + "D-1,04.11.2026,møtt,Å").replace(",", "\t").encode("utf-16")[:-1]
    result = enrolled("--lang", lang, "import", "attendance", write(tmp_path, data))
    assert result.exit_code == 1 and says in result.stderr


@pytest.mark.parametrize("tail", ['D-1,12.11.2026,møtt,"ringte ikk', 'D-1,12.11.2026,møtt,"ringte\r\nikke\r\n'])
def test_a_file_cut_inside_a_quoted_field_is_refused_at_the_row(enrolled, tmp_path, tail):
    data = (HEADER + rows(5) + tail).encode()
    err = refused(enrolled, "attendance", write(tmp_path, data))
    assert "line 7: a quoted field" in err and "cut short" in err


def test_a_quote_left_open_early_is_named_at_its_row(enrolled, tmp_path):
    text = HEADER + rows(2) + 'D-1,04.11.2026,møtt,"sa ja\r\n' + rows(30, 5)
    err = refused(enrolled, "attendance", write(tmp_path, text.encode()))
    assert "line 4: a quoted field" in err


@pytest.mark.parametrize("kind, text", [
    ("participants", 'ref;leader;start_date;notes\r\nD-8;Kari Nordmann;01.09.2026;"ny\r\n'),
    ("transitions", 'ref;date;kind;detail\r\nD-1;01.11.2026;mfy;"Bergen'),
])
def test_a_cut_quoted_field_is_refused_in_every_kind_of_file(enrolled, tmp_path, kind, text):
    assert "line 2: a quoted field" in refused(enrolled, kind, write(tmp_path, text.encode()))


def test_a_header_cut_inside_a_quote_is_refused(enrolled, tmp_path):
    assert "line 1: a quoted field" in refused(enrolled, "attendance", write(tmp_path, b'ref,date,"status'))


@pytest.mark.parametrize("ending", ["", "\r\n", "\n", "\r"])
def test_a_complete_last_row_with_or_without_a_line_end_is_read(enrolled, tmp_path, ending):
    text = HEADER + rows(2) + 'D-1,04.11.2026,møtt,"sa ""ja"""' + ending
    assert "3 inserted" in enrolled.ok("import", "attendance", write(tmp_path, text.encode()))
    assert notes(enrolled)[-1] == 'sa "ja"'


def test_a_quote_found_open_at_the_end_undoes_the_batches_written_before(enrolled, tmp_path, monkeypatch):
    from kimu_cli import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)  # rows are written batch by batch before the end is read
    enrolled.ok("import", "attendance", write(tmp_path, (HEADER + rows(2)).encode(), "first.csv"))
    schema = enrolled.query("SELECT name, sql FROM sqlite_master ORDER BY name")
    text = HEADER + rows(18, 4, note="ny") + 'D-1,22.11.2026,møtt,"ringte ikk'
    assert "line 20: a quoted field" in refused(enrolled, "attendance", write(tmp_path, text.encode()))
    assert enrolled.query("SELECT name, sql FROM sqlite_master ORDER BY name") == schema
    assert notes(enrolled) == [None, None]


@pytest.mark.parametrize("data", [b"foo;bar\r\n1;2\r\n", b""], ids=["other columns", "empty"])
def test_a_file_without_the_columns_is_told_in_bokmal_whole(enrolled, tmp_path, data):
    err = enrolled.fails("import", "attendance", write(tmp_path, data), "--lang", "nb")
    assert "overskriftslinjen har" in err and "(skilletegn " in err and "tegnkoding utf-8)" in err, err
    assert not [english for english in ("the header line", "(or ", "nothing", "delimiter", "encoding") if english in err]
