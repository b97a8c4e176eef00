from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Bahasa Indonesia unless the visitor chose another language with the switcher (its cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, but many phones in Indonesia run
    with an English system language while their owners read Indonesian first; the choice is theirs to make
    on the page, not the phone's.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("Vary", "Cookie")
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (settings.CONTENT_SECURITY_POLICY and
    settings.PERMISSIONS_POLICY), static files included as it sits above WhiteNoise.

    A response that already carries a policy keeps it: a view that truly needs another sets its own header.
    Referrer-Policy, X-Content-Type-Options and X-Frame-Options come from Django's SecurityMiddleware and
    XFrameOptionsMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response
