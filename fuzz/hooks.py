"""schemathesis hooks for fuzz/run.py: the one answer that is the HTTP server's, not the API's.

Twisted (Daphne's HTTP server) parses a multipart body itself before Django sees the request, and answers one
it cannot read (a body with no part at all) with a bare 400: no Content-Type, no body. Only that answer is
dropped; every answer Django gives has a Content-Type and stays checked.
"""

import schemathesis


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:
    multipart = (case.media_type or "").startswith("multipart/")
    bare = response.status_code == 400 and not response.content and "content-type" not in response.headers
    return not (multipart and bare)
