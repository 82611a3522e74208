"""Messages in English and bokmål: errors (KimuError keys), confirmations, prompts, progress.

key -> (English, bokmål); both with the same {fields}. Read through kimu_cli.labels (t, text).
"""

MESSAGES = {
    "lang_unknown": ("lang: unknown language '{value}' (use en or nb)",
                     "lang: ukjent språk '{value}' (bruk en eller nb)"),
}
