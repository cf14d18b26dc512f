"""Content-Security-Policy: strict on the public site, Wagtail's needs in the admin.

The public pages load scripts, styles, images and fonts from the site itself only, with no
inline script or style (CONTENT_SECURITY_POLICY). The admin (ADMIN_PATH_PREFIXES) gets the
few allowances of CONTENT_SECURITY_POLICY_ADMIN on top: Wagtail and wagtail-localize still
write some inline scripts (inline panels, date pickers, chooser URLs) and style attributes.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or not request.path_info.startswith(tuple(settings.ADMIN_PATH_PREFIXES)):
            return parts
        return PolicyParts(
            config=parts.config,
            update=parts.update,
            replace={**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.replace or {})},
            nonce=parts.nonce,
        )
