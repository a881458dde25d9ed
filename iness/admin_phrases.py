"""Django's admin phrases that read as jargon in French ("L’objet inscription « … » a été
modifié avec succès", "Aucun(e) disponible", "0 résultat (22 résultats)").

Named here with `gettext_noop` so that `makemessages` keeps them in our catalogue, whose
translations come before Django's own (LOCALE_PATHS): written French for organisers.
"""

from django.utils.translation import gettext_noop

PHRASES = [
    # xgettext:no-python-brace-format (the French leaves out the model's name)
    gettext_noop("The {name} “{obj}” was changed successfully."),
    # xgettext:no-python-brace-format (the French leaves out the model's name)
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    # xgettext:no-python-brace-format (the French leaves out the model's name)
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("None available"),
    gettext_noop("%(full_result_count)s total"),
]
