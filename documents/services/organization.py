"""Merging two spellings of one organisation."""

from __future__ import annotations

import logging

from django.db import transaction

from measures.models import MeasureDepartment
from policybase.concurrency import version_bump

from ..models import Document, Organization, OrganizationAlias

logger = logging.getLogger(__name__)


@transaction.atomic
def organization_merge(*, target: Organization, sources: list[Organization]) -> int:
    """Merge ``sources`` into ``target``: their documents, measures and names move over.

    Each source's name (and its aliases) becomes an alias of the target, so
    later imports that write the old spelling land on the target. Returns the
    number of organizations merged.
    """
    merged = 0
    for source in sources:
        if source.pk == target.pk:
            continue
        Document.objects.filter(issuer=source).update(issuer=target, **version_bump())
        for link in MeasureDepartment.objects.filter(organization=source):
            if MeasureDepartment.objects.filter(measure=link.measure_id, organization=target, role=link.role).exists():
                link.delete()
            else:
                link.organization = target
                link.save(update_fields=["organization"])
        for alias in source.aliases.all():
            if OrganizationAlias.objects.filter(name=alias.name, region=alias.region, organization=target).exists():
                alias.delete()
            else:
                alias.organization = target
                alias.save(update_fields=["organization"])
        source_name, source_region = source.name, source.region
        source.delete()
        OrganizationAlias.objects.get_or_create(name=source_name, region=None, defaults={"organization": target})
        if source_region is not None and source_region != target.region:
            logger.info("merged %s (%s) into %s", source_name, source_region, target)
        merged += 1
    return merged
