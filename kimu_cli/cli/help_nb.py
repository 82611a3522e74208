"""Every --help text of kimu in bokmål: English (as written in the commands) -> bokmål.
tests/test_language.py checks that every command's and option's help text is here."""

HELP = {
}
