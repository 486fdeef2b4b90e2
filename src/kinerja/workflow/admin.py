from django.contrib import admin

from .models import Case, CaseUnit, Disposition, Task


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = [
        "step",
        "variant",
        "unit",
        "position",
        "assignee",
        "status",
        "round",
        "due_at",
        "completed_at",
        "outcome",
    ]
    readonly_fields = fields
    can_delete = False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["sop_code", "agency", "period", "status", "opened_at", "completed_at"]
    list_filter = ["status", "agency", "sop_code"]
    inlines = [TaskInline]
    readonly_fields = [
        "sop_version",
        "sop_code",
        "agency",
        "period",
        "opened_at",
        "opened_by",
        "completed_at",
        "status",
    ]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["id", "case", "step", "variant", "unit", "position", "status", "due_at"]
    list_filter = ["status", "step", "case__agency"]
    readonly_fields = [f.name for f in Task._meta.fields]


@admin.register(Disposition)
class DispositionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "from_position", "to_position", "to_user", "unit", "read_at"]
    readonly_fields = [f.name for f in Disposition._meta.fields]


admin.site.register(CaseUnit)
