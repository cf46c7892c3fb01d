"""How long a free text (a description, a comment, a method) may be: the models' validators and
the forms' max_length read it from here."""

DESCRIPTION_MAX_LENGTH = 10_000
