from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "政策文件"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from policybase.text import clean_text_fields

        from .models import Article, ChronicleEntry, Citation, Document, Organization, OrganizationAlias

        for model in (Document, Organization, OrganizationAlias, Citation, Article, ChronicleEntry):
            pre_save.connect(clean_text_fields, sender=model, dispatch_uid=f"clean_text_fields:{model.__name__}")
