"""Who may do what with organisations. Predicates take (user, organisation)."""

import rules

from partnerships.enums import MembershipRole, ValidationState


@rules.predicate
def is_commission_staff(user):
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


@rules.predicate
def is_verified_organisation(user, organisation):
    return organisation is not None and organisation.validation_state == ValidationState.VERIFIED


def _role_of(user, organisation):
    if organisation is None or not user.is_authenticated:
        return None
    # Views that show one organisation prefetch memberships; use them when they are there.
    cache = getattr(organisation, "_prefetched_objects_cache", {})
    if "memberships" in cache:
        roles = [m.role for m in cache["memberships"] if m.user_id == user.pk]
        return roles[0] if roles else None
    return organisation.memberships.filter(user=user).values_list("role", flat=True).first()


@rules.predicate
def is_organisation_member(user, organisation):
    return _role_of(user, organisation) is not None


@rules.predicate
def is_organisation_owner(user, organisation):
    return _role_of(user, organisation) == MembershipRole.OWNER


is_signed_in = rules.is_authenticated & rules.is_active

can_view_organisation = is_verified_organisation | is_organisation_member | is_commission_staff
can_edit_organisation = is_organisation_member | is_commission_staff
can_delete_organisation = is_organisation_owner | is_commission_staff
can_validate_organisation = is_commission_staff
can_manage_members = is_organisation_owner | is_commission_staff

rules.add_perm("partnerships.validate_organisation", can_validate_organisation)
rules.add_perm("partnerships.manage_members", can_manage_members)
rules.add_perm("partnerships.view_auditentry", is_commission_staff)

# Reference taxonomies are public to read; only staff change them (in the admin).
for _model in (
    "country",
    "region",
    "sectoralindustry",
    "emergingindustry",
    "ecosystem",
    "valuechainposition",
    "policyobjective",
    "s3priority",
):
    rules.add_perm(f"partnerships.view_{_model}", rules.always_allow)
