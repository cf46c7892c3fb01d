"""The case editor for coordinators: a community's story with paragraphs kept, golden rules one per
line (added, moved and removed one at a time, without any script), a preview, and publish or
unpublish after a confirmation."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from geo.errors import DomainError
from registry.forms import form_add_domain_errors
from registry.forms_cockpit import CaseForm
from registry.models import Case
from registry.selectors.communities import community_public_list, community_search
from registry.services.cases import case_publish, case_save, case_unpublish, story_from_text, story_to_text
from registry.views_access import coordinator_required


@require_safe
@coordinator_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:100]
    found = (
        community_search(communities=community_public_list(), query=query).order_by("name")[:30]
        if query
        else []
    )
    cases = Case.objects.select_related("community__municipality").order_by(
        "-is_published", "-published_at", "-id"
    )
    return render(request, "registry/cockpit/cases.html", {"cases": cases, "query": query, "found": found})


def _rules_after(operation: str, rules: list[str]) -> list[str]:
    """Apply one button of the rule list: add, up:N, down:N, remove:N."""
    action, _sep, position = operation.partition(":")
    index = int(position) if position.isdigit() else -1
    if action == "add":
        return [*rules, ""]
    if not 0 <= index < len(rules):
        return rules
    if action == "remove":
        return rules[:index] + rules[index + 1 :]
    target = index - 1 if action == "up" else index + 1 if action == "down" else index
    if 0 <= target < len(rules):
        rules[index], rules[target] = rules[target], rules[index]
    return rules


@require_http_methods(["GET", "POST"])
@coordinator_required
def case_edit_view(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    case = Case.objects.select_related("community").filter(pk=pk).first() if pk else None
    if pk and case is None:
        raise Http404
    community = (
        case.community
        if case
        else community_public_list().filter(pk=request.GET.get("community") or 0).first()
    )
    if community is None:
        raise Http404
    if request.method == "POST":
        form = CaseForm(request.POST)
        rules = [" ".join(rule.split()) for rule in request.POST.getlist("rule")]
        operation = request.POST.get("op", "")
    else:
        initial = {"title": case.title, "story": story_to_text(case.story)} if case else {}
        form = CaseForm(initial=initial)
        rules = list(case.golden_rules) if case else []
        operation = ""
    preview = None
    if operation.startswith(("add", "up:", "down:", "remove:")):
        rules = _rules_after(operation, rules)
    elif operation in ("preview", "save") and form.is_valid():
        if operation == "preview":
            preview = {
                "title": form.cleaned_data["title"],
                "story": story_from_text(form.cleaned_data["story"]),
                "rules": [rule for rule in rules if rule],
            }
        else:
            try:
                case = case_save(
                    user=cast(User, request.user),
                    community=community,
                    title=form.cleaned_data["title"],
                    story=form.cleaned_data["story"],
                    golden_rules=rules,
                    case=case,
                )
            except DomainError as error:
                form_add_domain_errors(form, error)
            else:
                messages.success(request, _("Кейс сохранён."))
                return redirect("cockpit-case-edit", pk=case.pk)
    if not rules:
        rules = [""]  # somewhere to type the first rule
    return render(
        request,
        "registry/cockpit/case_edit.html",
        {"form": form, "case": case, "community": community, "rules": rules, "preview": preview},
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def case_publication_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """GET asks to confirm; POST publishes or unpublishes."""
    case = Case.objects.select_related("community").filter(pk=pk).first()
    if case is None or action not in ("publish", "unpublish"):
        raise Http404
    if request.method == "POST":
        user = cast(User, request.user)
        try:
            if action == "publish":
                case_publish(user=user, case=case)
                messages.success(request, _("Кейс опубликован."))
            else:
                case_unpublish(user=user, case=case)
                messages.success(request, _("Кейс снят с публикации."))
        except DomainError as error:
            messages.error(request, "; ".join(item.message for item in error.items))
        return redirect("cockpit-case-edit", pk=case.pk)
    return render(request, "registry/cockpit/case_confirm.html", {"case": case, "action": action})
