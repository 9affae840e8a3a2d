"""Phone numbers in templates: `{{ number|phone }}` formats, `{% phone_link number %}` renders a
tap-to-call link (plain text when the number is not valid). See core/phones.py."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core import phones

register = template.Library()


@register.filter(name="phone")
def phone(value: str | None) -> str:
    return phones.display(value)


@register.simple_tag(name="phone_link")
def phone_link(value: str | None, name: str = "") -> SafeString:
    """`<a href="tel:+3214697750" aria-label="Call +32 14 69 77 50">+32 14 69 77 50</a>`; with `name`,
    the accessible name says whom the number reaches ("Call Sofie Janssens on +32 …")."""
    number = phones.read(value)
    if not number.uri:
        return format_html("{}", number.display)
    if name:
        label = _("Call %(name)s on %(number)s") % {"name": name, "number": number.display}
    else:
        label = _("Call %(number)s") % {"number": number.display}
    return format_html(
        '<a class="phone" href="{}" aria-label="{}">{}</a>',
        number.uri,
        label,
        number.display,
    )
