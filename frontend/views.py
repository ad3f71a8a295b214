"""Page views: they read through selectors, act through services, and render templates."""

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services, tokens
from accounts.throttle import client_address
from config.errors import DomainError, json_not_found
from config.texts import translated


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return json_not_found(request)
    return render(request, "frontend/404.html", status=404)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@require_http_methods(["GET", "POST"])
def sign_in(request):
    error = ""
    status = 200
    headers = {}
    if request.method == "POST":
        try:
            user = services.user_authenticate(
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                ip=client_address(request.META),
                request=request,
            )
        except DomainError as exc:
            error, status = translated(exc.message), exc.status
            headers = exc.headers()
        else:
            login(request, user)
            return HttpResponseRedirect(_next_url(request))
    context = {"error": error, "next": _next_url(request), "username": request.POST.get("username", "")}
    response = render(request, "frontend/login.html", context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        tokens.token_revoke(user=request.user)  # as the API's sign-out: the page's tokens end with it
    logout(request)
    return HttpResponseRedirect("/login/")


@login_required
def home(request):
    member = getattr(request.user, "membership", None)
    members = selectors.members_for_user(user=request.user) if member else []
    return render(request, "frontend/home.html", {"members": members})
