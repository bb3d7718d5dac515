from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class CzechFirstLocaleMiddleware(LocaleMiddleware):
    """Czech unless the user chose another language with the switcher (a cookie).

    The browser's Accept-Language is ignored on purpose: many Czech offices run English
    browsers, and the network's own language is Czech.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
