"""Display values for account pages, so that templates hold no logic."""

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, title: str) -> SafeString:
    """The otpauth:// link as an inline SVG QR code, drawn on the server (no script, no CDN).
    segno writes only attributes (no style), so the Content Security Policy allows it."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=title, svgclass="qr-code"
    )
    # segno escapes the title and builds the rest from the key: nothing here comes from a user.
    return mark_safe(svg)  # noqa: S308
