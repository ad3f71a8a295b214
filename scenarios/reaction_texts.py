"""The crowd's built-in words for reactions (PROTOCOL section 1.4), used when a scenario gives no `texts`.

Written for social-media crisis drills: backlash quotes the tone-deaf reply back at the brand, support thanks it.
Each list has at least 12 (backlash) and 6 (support) different sentences so that a default reaction does not repeat
itself. Templates: `{brand.name}`, `{brand.handle}` and `{reply.excerpt}` (the reply's first 60 characters).
"""

from __future__ import annotations

from scenarios.spec import BACKLASH, SUPPORT

DEFAULT_LANGUAGE = "en"

BUILT_IN_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        BACKLASH: (
            'Did {brand.name} really just say "{reply.excerpt}"?',
            'Screenshotting this before they delete it: "{reply.excerpt}"',
            "Wow. Zero empathy from {brand.handle}. Unfollowing.",
            '"{reply.excerpt}" is not an answer, it is a shrug.',
            "Who approved this reply? Your comms team needs a day off.",
            "So that's how {brand.name} treats its customers. Noted.",
            "This reply made it ten times worse. Well done {brand.handle}.",
            'Imagine reading "{reply.excerpt}" after the week we had.',
            "Still no apology. Still no plan. Just this.",
            "Tagging a few journalists, they will want to see this reply.",
            "I defended {brand.name} yesterday. Not anymore.",
            "Copy-paste PR speak. Talk to us like people, {brand.handle}.",
            "Ratio. Nobody asked for a press release.",
            'My favorite part is "{reply.excerpt}". Incredible.',
        ),
        SUPPORT: (
            "Thanks for the update {brand.handle}, that's what we needed.",
            "Appreciate the honesty from {brand.name}. Keep us posted.",
            "Good to see a real answer. Fingers crossed it gets fixed soon.",
            "This is how you handle it. Respect, {brand.handle}.",
            "Clear and human. Thank you.",
            "OK, that helps. Waiting for the next update.",
            "Finally a straight answer. Thanks {brand.name}.",
        ),
    },
    "he": {
        BACKLASH: (
            'רגע, {brand.name} באמת כתבו "{reply.excerpt}"?',
            'שומר צילום מסך לפני שימחקו: "{reply.excerpt}"',
            "וואו, אפס אמפתיה מ-{brand.handle}. מפסיק לעקוב.",
            '"{reply.excerpt}" זו לא תשובה, זו משיכת כתפיים.',
            "מי אישר את התגובה הזאת? צוות הדוברות צריך יום חופש.",
            "אז ככה {brand.name} מתייחסים ללקוחות שלהם. רשמתי לפניי.",
            "התגובה הזאת רק החמירה את המצב. כל הכבוד {brand.handle}.",
            'תדמיינו לקרוא "{reply.excerpt}" אחרי השבוע שעבר עלינו.',
            "עדיין אין התנצלות. עדיין אין תוכנית. רק זה.",
            "מתייג כמה עיתונאים, הם ירצו לראות את התגובה הזאת.",
            "אתמול עוד הגנתי על {brand.name}. היום כבר לא.",
            "שפה של הודעה לעיתונות. תדברו איתנו כמו בני אדם, {brand.handle}.",
            "אף אחד לא ביקש הודעה רשמית, ביקשנו פתרון.",
            'החלק האהוב עליי: "{reply.excerpt}". פשוט מדהים.',
        ),
        SUPPORT: (
            "תודה על העדכון {brand.handle}, זה מה שהיינו צריכים.",
            "מעריך את הכנות של {brand.name}. תמשיכו לעדכן.",
            "טוב לראות תשובה אמיתית. מקווה שזה יסתדר מהר.",
            "ככה מטפלים במשבר. כל הכבוד {brand.handle}.",
            "ברור ואנושי. תודה.",
            "אוקיי, זה עוזר. מחכים לעדכון הבא.",
            "סוף סוף תשובה ישירה. תודה {brand.name}.",
        ),
    },
    "fr": {
        BACKLASH: (
            "{brand.name} a vraiment écrit « {reply.excerpt} » ?",
            "Capture d'écran avant qu'ils ne suppriment : « {reply.excerpt} »",
            "Waouh. Zéro empathie de la part de {brand.handle}. Je me désabonne.",
            "« {reply.excerpt} », ce n'est pas une réponse, c'est un haussement d'épaules.",
            "Qui a validé cette réponse ? Votre service com a besoin de vacances.",
            "Voilà donc comment {brand.name} traite ses clients. C'est noté.",
            "Cette réponse a empiré les choses. Bravo {brand.handle}.",
            "Imaginez lire « {reply.excerpt} » après la semaine qu'on a passée.",
            "Toujours pas d'excuses. Toujours pas de plan. Juste ça.",
            "J'identifie quelques journalistes, ils voudront voir cette réponse.",
            "Hier encore je défendais {brand.name}. Plus maintenant.",
            "Langue de bois de communiqué. Parlez-nous normalement, {brand.handle}.",
            "Personne n'a demandé un communiqué de presse, on veut une solution.",
            "Mon passage préféré : « {reply.excerpt} ». Incroyable.",
        ),
        SUPPORT: (
            "Merci pour l'info {brand.handle}, c'est ce qu'il nous fallait.",
            "J'apprécie la franchise de {brand.name}. Tenez-nous au courant.",
            "Enfin une vraie réponse. J'espère que ce sera vite réglé.",
            "C'est comme ça qu'on gère une crise. Respect, {brand.handle}.",
            "Clair et humain. Merci.",
            "D'accord, ça aide. On attend la suite.",
            "Enfin une réponse directe. Merci {brand.name}.",
        ),
    },
}


def built_in_texts(language: str, kind: str) -> tuple[str, ...]:
    """The built-in texts of `kind` in the scenario's language (its primary tag), English when there are none."""
    primary = language.split("-")[0].lower()
    return BUILT_IN_TEXTS.get(primary, BUILT_IN_TEXTS[DEFAULT_LANGUAGE])[kind]
