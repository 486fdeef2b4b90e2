from django.contrib import admin

from .models import Agency, Position, PositionHolder, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent_name", "timezone", "is_active"]
    search_fields = ["code", "name"]
    inlines = [UnitInline]


class HolderInline(admin.TabularInline):
    model = PositionHolder
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "unit", "role", "reports_to", "is_admin"]
    list_filter = ["agency", "role"]
    search_fields = ["title", "code"]
    inlines = [HolderInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "kind", "reports_performance", "order"]
    list_filter = ["agency", "kind"]


@admin.register(PositionHolder)
class PositionHolderAdmin(admin.ModelAdmin):
    list_display = ["position", "user", "kind", "start_date", "end_date"]
    list_filter = ["kind", "position__agency"]
    autocomplete_fields = ["user", "position"]
