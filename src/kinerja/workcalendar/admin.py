from django.contrib import admin

from .models import CalendarOverride, OfficeHours
from .services import override_remove, override_set


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    list_display = ["agency", "weekday", "start", "end", "break_start", "break_end"]
    list_filter = ["agency", "weekday"]
    ordering = ["agency", "weekday"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Overrides go through the services so every change lands in the audit log."""

    list_display = ["date", "kind", "name", "agency"]
    list_filter = ["kind", "agency"]
    search_fields = ["name"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change and {"agency", "date"} & set(form.changed_data):
            old = CalendarOverride.objects.select_related("agency").get(pk=obj.pk)
            override_remove(actor=request.user, agency=old.agency, date=old.date)
        saved = override_set(
            actor=request.user, agency=obj.agency, date=obj.date, kind=obj.kind, name=obj.name
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        override_remove(actor=request.user, agency=obj.agency, date=obj.date)

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("agency"):
            self.delete_model(request, obj)
