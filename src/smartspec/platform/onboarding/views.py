"""Onboarding on the web: start a region, the members page, invitations and their links."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from smartspec.platform.core.models import Role
from smartspec.platform.core.permissions import require
from smartspec.platform.core.shortcuts import page_context, strategy_view
from smartspec.platform.onboarding import mail, services
from smartspec.platform.onboarding.forms import (
    AcceptForm,
    ConsultationInviteForm,
    InviteForm,
    RegisterForm,
    RoleForm,
    StartRegionForm,
)
from smartspec.platform.onboarding.models import Invitation, Profile

BACKEND = "django.contrib.auth.backends.ModelBackend"


# --- starting a region ------------------------------------------------------------------------------

@login_required
def start(request):
    """Create a region's strategy; the one who creates it becomes its coordinator."""
    require(services.can_start(request.user))
    form = StartRegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            strategy = services.start_region(request.user, d["region"], d["title"], d["period_start"], d["period_end"])
        except services.OnboardingError:
            form.add_error("region", _("This region already has a strategy on this server: ask its coordinator "
                                       "to invite you."))
        else:
            messages.success(request, _("The strategy of %(region)s is started and you are its coordinator. "
                                        "Invite your colleagues and stakeholders.") % {"region": strategy.region.name})
            return redirect("members", strategy.pk)
    return render(request, "onboarding/start.html", {"form": form})


# --- members and invitations -------------------------------------------------------------------------

def _manage(request, strategy):
    require(services.can_manage(request.user, strategy.region))


@strategy_view()
def members(request, strategy, invite_form=None):
    _manage(request, strategy)
    region = strategy.region
    invitations = Invitation.objects.filter(region=region).select_related("consultation", "invited_by")
    pending = [i for i in invitations if i.state == Invitation.State.PENDING]
    others = [i for i in invitations if i.state != Invitation.State.PENDING][:30]
    profiles = {p.user_id: p for p in Profile.objects.filter(user__region_roles__region=region)}
    rows = [{**m, "profile": profiles.get(m["user"].pk),
             "missing": [(v, label) for v, label in Role.choices if v not in {r["value"] for r in m["roles"]}]}
            for m in services.members(region)]
    return render(request, "onboarding/members.html", page_context(
        request, strategy, rows=rows, pending=pending, others=others,
        invite_form=invite_form or InviteForm()), status=400 if invite_form else 200)


@require_POST
@strategy_view()
def invite(request, strategy):
    _manage(request, strategy)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return members(request, strategy.pk, invite_form=form)
    d = form.cleaned_data
    for email in d["emails"]:
        mail.send_invitation(request, services.invite(request.user, strategy, email, d["role"], d["language"]))
    messages.success(request, _sent(len(d["emails"])))
    return redirect("members", strategy.pk)


@require_POST
@strategy_view()
def revoke(request, strategy, pk):
    _manage(request, strategy)
    inv = get_object_or_404(Invitation, pk=pk, region=strategy.region)
    if inv.state == Invitation.State.PENDING:
        services.revoke(request.user, inv)
        messages.success(request, _("The invitation to %(email)s is revoked: its link no longer works.")
                         % {"email": inv.email})
    return redirect("members", strategy.pk)


@require_POST
@strategy_view()
def role(request, strategy, uid):
    """Add a role to a member, or remove one (the region's last coordinator is kept)."""
    _manage(request, strategy)
    user = get_object_or_404(get_user_model().objects.filter(region_roles__region=strategy.region).distinct(), pk=uid)
    form = RoleForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] == "add":
                services.add_role(request.user, user, strategy.region, d["role"])
            else:
                services.remove_role(request.user, user, strategy.region, d["role"])
        except services.OnboardingError:
            messages.error(request, _("The region's last coordinator cannot be removed: make someone else "
                                      "coordinator first."))
        else:
            messages.success(request, _("Roles of %(user)s changed.") % {"user": user.get_full_name() or user.username})
    return redirect("members", strategy.pk)


@require_POST
@strategy_view()
def consultation_invite(request, strategy, cid):
    """Invite stakeholders by e-mail to a consultation: each registers through their own link."""
    _manage(request, strategy)
    c = get_object_or_404(strategy.consultations, pk=cid)
    if hasattr(c, "decision"):  # decided: nobody can score it any more
        messages.info(request, _("The decision is already recorded."))
        return redirect("consultation", strategy.pk, c.pk)
    form = ConsultationInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("consultation", strategy.pk, c.pk)
    already = {e.lower() for e in c.invited.values_list("email", flat=True) if e}
    sent = [e for e in form.cleaned_data["emails"] if e not in already]
    for email in sent:
        inv = services.invite(request.user, strategy, email, Role.STAKEHOLDER, form.cleaned_data["language"], c)
        mail.send_invitation(request, inv)
    messages.success(request, _sent(len(sent)))
    if len(sent) < len(form.cleaned_data["emails"]):
        messages.info(request, _("%(n)d of the addresses were already invited.")
                      % {"n": len(form.cleaned_data["emails"]) - len(sent)})
    return redirect("consultation", strategy.pk, c.pk)


# --- the invitation link -------------------------------------------------------------------------------

def invitation(request, token):
    """Accept an invitation: a new account sets its password, an existing one logs in and confirms."""
    inv = services.from_token(token)
    if inv is None:
        raise Http404
    if inv.state != Invitation.State.PENDING:
        return render(request, "onboarding/invitation_closed.html", {"inv": inv}, status=410)
    account = services.account_for(inv.email)
    if account is None:
        return _register(request, inv)
    if not request.user.is_authenticated:
        messages.info(request, _("You already have an account: log in with it to accept the invitation."))
        return redirect_to_login(request.get_full_path())
    if request.user.pk != account.pk:
        return render(request, "onboarding/invitation_closed.html", {"inv": inv, "other_account": True}, status=403)
    return _accept(request, inv)


def _register(request, inv):
    form = RegisterForm(_posted(request), email=inv.email, asks_profile=inv.asks_profile)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.register(inv, d["name"], d["password1"], d.get("organisation", ""), d.get("kind", ""),
                                     _lang())
        except services.OnboardingError:
            return render(request, "onboarding/invitation_closed.html", {"inv": inv}, status=410)
        login(request, user, backend=BACKEND)
        return _welcome(request, inv)
    return render(request, "onboarding/invitation.html", {"inv": inv, "form": form, "new_account": True})


def _accept(request, inv):
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"organisation": profile.organisation, "kind": profile.kind} if profile else {}
    form = AcceptForm(_posted(request), asks_profile=inv.asks_profile, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.accept(inv, request.user, d.get("organisation", ""), d.get("kind", ""), _lang())
        except services.OnboardingError:
            return render(request, "onboarding/invitation_closed.html", {"inv": inv}, status=410)
        return _welcome(request, inv)
    return render(request, "onboarding/invitation.html", {"inv": inv, "form": form, "new_account": False})


def _posted(request):
    """The form data of a POST, even an empty one (a confirmation without fields)."""
    return request.POST if request.method == "POST" else None


def _welcome(request, inv):
    messages.success(request, _("Welcome: you are %(role)s in %(region)s.")
                     % {"role": inv.get_role_display().lower(), "region": inv.region.name})
    if inv.consultation_id:
        return redirect("consultation", inv.strategy_id, inv.consultation_id)
    return redirect("dashboard", inv.strategy_id)


def _sent(n: int) -> str:
    return ngettext("%(n)d invitation sent.", "%(n)d invitations sent.", n) % {"n": n}


def _lang() -> str:
    return (get_language() or "sv")[:2]
