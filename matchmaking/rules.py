"""Who may see and act on recommendations. Predicates take (user, organisation)."""

import rules

from partnerships.rules import (
    is_commission_staff,
    is_expression_lead_manager,
    is_organisation_member,
)

# A list of suggested partners says a lot about an organisation's plans: only its own people
# and the Commission's staff see it, whether or not the profile is public.
can_view_recommendations = is_organisation_member | is_commission_staff
can_give_feedback = is_organisation_member | is_commission_staff
can_manage_runs = is_commission_staff
# Fitting weights reads every organisation's outcomes; adopting them changes every list.
can_learn_weights = is_commission_staff
# Suggested partners for a consortium (takes (user, expression)): the lead's people build it;
# staff may look, partners of the consortium may not.
can_suggest_partners = is_expression_lead_manager | is_commission_staff

rules.add_perm("matchmaking.view_recommendations", can_view_recommendations)
rules.add_perm("matchmaking.give_feedback", can_give_feedback)
rules.add_perm("matchmaking.manage_runs", can_manage_runs)
rules.add_perm("matchmaking.learn_weights", can_learn_weights)
rules.add_perm("matchmaking.suggest_partners", can_suggest_partners)
# Ranked against the person's own organisations, so only a signed-in person has a list.
rules.add_perm(
    "matchmaking.view_partner_searches_for_you", rules.is_authenticated & rules.is_active
)
