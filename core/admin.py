"""Reference data the zone admin corrects in the Django admin. No person data is registered here
or anywhere in the admin (tests/test_routes.py checks)."""

from django.contrib import admin

from core.models import CareZone, Municipality


@admin.register(CareZone)
class CareZoneAdmin(admin.ModelAdmin[CareZone]):
    list_display = ["name", "kind", "region"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["nis_code", "postcode", "name_nl", "name_fr", "zone", "provisional"]
    list_filter = ["zone", "provisional"]
    search_fields = ["name_nl", "name_fr", "postcode", "nis_code"]
