"""A strict Content-Security-Policy: no inline scripts or handlers, nothing from other origins.

`connect-src 'self'` covers the room's websocket too: CSP Level 3 lets 'self' match ws: and wss: on the
page's own host and port, as Chromium does (tests/browser/test_room_connect.py), and no other host."""

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The Swagger UI page (assets served locally by the sidecar) boots itself with one inline script.
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_CSP if request.path.startswith("/api/docs/") else CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
