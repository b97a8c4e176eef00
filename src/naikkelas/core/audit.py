from naikkelas.core.models import AuditLog


def audit_record(*, actor, action: str, obj, changes: dict | None = None, reason: str = "") -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        changes=changes or {},
        reason=reason,
    )
