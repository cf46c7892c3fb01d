"""Checks for registry input: ИНН/ОГРН checksums, phones, links, years. Each raises DomainError
naming the field and what was expected."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from geo.errors import DomainError, ErrorItem

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(inn: str) -> bool:
    """ИНН: 10 digits (organisation) or 12 (individual), with the Federal Tax Service check digits."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return False
    if len(inn) == 10:
        return _check_digit(inn, _INN10_WEIGHTS) == int(inn[9])
    return _check_digit(inn, _INN12_WEIGHTS_11) == int(inn[10]) and _check_digit(
        inn, _INN12_WEIGHTS_12
    ) == int(inn[11])


def ogrn_is_valid(ogrn: str) -> bool:
    """ОГРН (13 digits, mod 11) or ОГРНИП (15 digits, mod 13); the last digit is the remainder's last digit."""
    if not ogrn.isdigit() or len(ogrn) not in (13, 15):
        return False
    modulus = 11 if len(ogrn) == 13 else 13
    return int(ogrn[:-1]) % modulus % 10 == int(ogrn[-1])


def inn_clean(value: str, *, field: str = "inn") -> str:
    inn = "".join(value.split())
    if inn and not inn_is_valid(inn):
        raise DomainError(
            ErrorItem(
                field,
                _("ИНН: ожидается 10 или 12 цифр с верной контрольной суммой, получено «{}»").format(
                    value[:20]
                ),
                "inn_invalid",
            )
        )
    return inn


def ogrn_clean(value: str, *, field: str = "ogrn") -> str:
    ogrn = "".join(value.split())
    if ogrn and not ogrn_is_valid(ogrn):
        raise DomainError(
            ErrorItem(
                field,
                _("ОГРН: ожидается 13 или 15 цифр с верной контрольной суммой, получено «{}»").format(
                    value[:20]
                ),
                "ogrn_invalid",
            )
        )
    return ogrn


def phone_clean(value: str, *, field: str = "phone") -> str:
    """A Russian phone in any usual spelling («8 (347) 123-45-67», «+7 917 …», «89171234567») → E.164."""
    text = value.strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, "RU")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise DomainError(
            ErrorItem(
                field,
                _("Телефон: ожидается номер из 10 цифр после +7 или 8, получено «{}»").format(text[:30]),
                "phone_invalid",
            )
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_clean(value: str, *, field: str = "email") -> str:
    email = value.strip().lower()
    if not email:
        return ""
    try:
        EmailValidator()(email)
    except ValidationError as error:
        raise DomainError(
            ErrorItem(
                field,
                _("Эл. почта: ожидается адрес вида name@example.ru, получено «{}»").format(value[:60]),
                "email_invalid",
            )
        ) from error
    return email


def contact_clean(value: str, *, field: str = "contact") -> str:
    """A way to reach a person: an e-mail (has an @) or a Russian phone, normalised; else an error."""
    text = value.strip()
    if not text:
        return ""
    if "@" in text:
        return email_clean(text, field=field)
    try:
        return phone_clean(text, field=field)
    except DomainError as error:
        raise DomainError(
            ErrorItem(
                field,
                _(
                    "Укажите телефон (например, +7 917 123-45-67) или эл. почту (name@example.ru), получено «{}»"
                ).format(text[:40]),
                "contact_invalid",
            )
        ) from error


def links_clean(values: list[str], *, field: str = "links") -> list[str]:
    """Public links: http(s) only — no javascript:, data: or file: URLs."""
    cleaned: list[str] = []
    errors: list[ErrorItem] = []
    for index, raw in enumerate(values):
        link = str(raw).strip()
        if not link:
            continue
        scheme = urlsplit(link).scheme.lower()
        try:
            if scheme not in {"http", "https"}:
                raise ValidationError("scheme")
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors.append(
                ErrorItem(
                    f"{field}[{index}]",
                    _("Ссылка: ожидается адрес, начинающийся с http:// или https://, получено «{}»").format(
                        link[:80]
                    ),
                    "url_invalid",
                )
            )
            continue
        cleaned.append(link)
    if errors:
        raise DomainError(*errors)
    return cleaned


def year_clean(value: int | None, *, field: str = "founded_year") -> int | None:
    if value is None:
        return None
    this_year = date.today().year  # noqa: DTZ011 -- a calendar year
    if not 1800 <= value <= this_year:
        raise DomainError(
            ErrorItem(
                field,
                _("Год создания: ожидается от 1800 до {}, получено {}").format(this_year, value),
                "year_out_of_range",
            )
        )
    return value


def name_clean(value: str, *, field: str = "name", max_length: int = 200) -> str:
    name = " ".join(str(value).split())
    if not name:
        raise DomainError(ErrorItem(field, _("Название не может быть пустым"), "required"))
    if len(name) > max_length:
        raise DomainError(
            ErrorItem(
                field,
                _("Название: не длиннее {} символов, получено {}").format(max_length, len(name)),
                "max_length",
            )
        )
    return name


EVIDENCE_FILE_MAX_BYTES = 10 * 1024 * 1024
# Recognised by content, not by the name the browser sends.
_FILE_SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}


def evidence_file_clean(file: UploadedFile, *, field: str = "file") -> UploadedFile:
    """A PDF, JPEG or PNG of at most 10 MB, judged by its first bytes."""
    if file.size is not None and file.size > EVIDENCE_FILE_MAX_BYTES:
        raise DomainError(ErrorItem(field, _("Файл больше 10 МБ"), "file_too_large"))
    head = file.read(8)
    file.seek(0)
    kind = next((kind for signature, kind in _FILE_SIGNATURES.items() if head.startswith(signature)), None)
    if kind is None:
        raise DomainError(ErrorItem(field, _("Принимаются файлы PDF, JPEG или PNG"), "file_type_invalid"))
    file.name = f"evidence.{kind}"  # never the client's name: it may carry a path or personal data
    return file
