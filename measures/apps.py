from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "政策措施"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from policybase.text import clean_text_fields

        from .models import Measure, MeasureDepartment, MeasureTheme, Synonym, Theme

        for model in (Measure, Theme, MeasureTheme, MeasureDepartment, Synonym):
            pre_save.connect(clean_text_fields, sender=model, dispatch_uid=f"clean_text_fields:{model.__name__}")
