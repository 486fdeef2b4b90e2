from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Akun")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import lockout

        def count_failure(sender, credentials, request=None, **kwargs):
            if request is not None and not getattr(request, "kinerja_locked", False):
                lockout.record_failure(request, credentials.get("username"))

        def clear_on_success(sender, request, user, **kwargs):
            lockout.clear_account(user)

        user_login_failed.connect(count_failure, weak=False, dispatch_uid="kinerja_lockout_failure")
        user_logged_in.connect(clear_on_success, weak=False, dispatch_uid="kinerja_lockout_success")
