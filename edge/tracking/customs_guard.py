"""The guard's customs readings (moved from guard.py by role, the same patterns and answers): a hold for customs
against the clearance under way, and a Brazilian state tax check that is no customs step; and the words of a parcel
going back to the sender, which guard.py's expiry reading shares. Each reading takes the text and what the rules
said (guard.Seen) and returns the milestone it reads, or None."""

from __future__ import annotations

from typing import TYPE_CHECKING

from edge.tracking.delivered_elsewhere import RETURN
from edge.tracking.fold import folded_re

if TYPE_CHECKING:
    from edge.tracking.guard import Seen

# it goes back to the sender (beside RETURN's sender words)
GOES_BACK = folded_re(r"\breturn(?:ed|ing)?\b|zurück(?:geschickt|gesandt|gesendet|senden|geht)|retourn|renvo|devuelt|devolvi|devolu|devolvid|teruggestuurd|terug naar|"
                     r"退回|退还|返送|返還|差出人")
# a hold for customs: a problem word (missing, delay, held, documents) in a customs scene ("A missing commercial invoice
# is causing a delay", "The importer has not assigned a broker", "fehlende Zolldokumente") is `customs_held`, as
# DESIGN.md section 5 rule 4 says, not a bare `exception` -- unless the parcel was cleared, went back or was destroyed
_CUSTOMS_SCENE = folded_re(r"\bcustoms\b|\bclearance\b|\b(?:customs )?broker(?:age)?\b|commercial invoice|import (?:duty|duties|tax|licen[cs]e|permit)|"
                     r"\bzoll|verzollung|douane|dedouan|aduana|alfandega|inklaring|海关|清关|通関|税関")
_CUSTOMS_DONE = folded_re(r"\bcleared\b|released|freigegeben|verzollt|\bdedouanee?s?\b|liberad|desembara[cç]ad|vrijgegeven|ingeklaard|"
                    r"放行|清关完成|通関(?:済|完了)|destroy|vernicht|vernietig|detruit|destruid|销毁|dispos|"
                    # a loss or damage found there stays the exception it is
                    r"\blost\b|damage|verloren|beschadig|perdu|endommag|perdid|extravi|danad|danific|丢失|遗失|破损|紛失|破損")


# what makes a customs step a hold: a delay, something missing or required, a rejection, duties to pay (not "held
# for clearance", "retenu en douane pour dédouanement": the clearance itself, `customs_started`)
_CUSTOMS_PROBLEM = folded_re(r"\bdelay|\bmissing\b|\b(?:documents?|paperwork|information|invoice|details) (?:\w+ ){0,2}(?:required|needed|requested)|"
                       r"\b(?:is|are|were|be|now|still) required\b|\brequired (?:for|by|to)\b|\breject|\brefused\b|(?:pay|payment of|unpaid|owed?) (?:\w+ ){0,2}(?:duties|duty|import tax|vat)|"
                       r"verzoger|\bfehlt|fehlende|erforderlich|abgelehnt|zuruckgewiesen|"
                       r"\bretard|manquant|\brequis|refuse|\brejet|"
                       r"\bretras|\bfalta|requiere|rechaz|"
                       r"\batras|\bfaltam?\b|rejeitad|recusad|"
                       r"vertrag|vertraging|ontbre|geweigerd|vereist|"
                       r"缺失|缺少|延误|延迟|扣关|扣留|补充资料|出税|缴税|征税|"
                       r"遅延|不足|不備")


# what was missing has been sent: the clearance goes on ("The required documents have been submitted to customs")
_CUSTOMS_SUPPLIED = folded_re(r"\b(?:submitted|provided|supplied|received|sent|uploaded)\b|eingereicht|vorgelegt|nachgereicht|"
                        r"\bfourni|transmis|aportad|presentad|enviad|ingediend|aangeleverd|已提交|已补充|已上传|提出済|提出しました")


# held *for* the clearance is the clearance under way ("Held for clearance purposes", "retenu en douane pour
# dédouanement", "held at customs for clearance"): `customs_started`, as the dev and slice labels read it
_HELD_FOR_CLEARANCE = folded_re(r"(?:held|retenue?s?|retenid[oa]s?|retid[oa]s?|festgehalten|aufbewahrt|vastgehouden|on hold) (?:\w+ ){0,4}"
                          r"(?:for|pour|para|zur|voor) (?:\w+ ){0,2}(?:clearance|dedouanement|despacho|desembara[cç]o|"
                          r"desalfandegamento|verzollung|zollabfertigung|inklaring)")


# round 15 (packs15a): a Brazilian state tax check on freight ("MERCAD RETIDA PELA FISCALIZACAO", "Mercadoria
# liberada pela fiscalização", "Nota fiscal retida pela fiscalização") is no customs step: the pt customs phrases read
# a bare "fiscalização" as customs. Held or seized there is an `exception`, released the chain going on (`in_transit`,
# FROZEN.md slice 8's "barreira fiscal"); never when the text names customs or an import
_DOMESTIC_FISCAL = folded_re(r"\b(?:mercad\w*|carga|nota fiscal|volumes?|veiculo)\b.{0,20}?\b(retid|liberad|confiscad|apreendid|parad)\w* "
                       r"(?:\w+ ){0,2}(?:pela|na) fiscaliza")
_CUSTOMS_WORD_PT = folded_re(r"aduan|alfandeg|importa|exporta|desembara|receita federal|anuente")


def domestic_fiscal(text: str, _seen: Seen) -> str | None:
    m = _DOMESTIC_FISCAL.search(text)
    if m is None or _CUSTOMS_WORD_PT.search(text) is not None:
        return None
    return "in_transit" if m.group(1) == "liberad" else "exception"


def customs_hold(text: str, seen: Seen) -> str | None:
    if _CUSTOMS_SCENE.search(text) is None or _CUSTOMS_DONE.search(text) is not None:
        return None
    if RETURN.search(text) is not None or GOES_BACK.search(text) is not None:
        return None
    problem = _CUSTOMS_PROBLEM.search(text) is not None
    if seen.milestone == "customs_held":
        return "customs_started" if _HELD_FOR_CLEARANCE.search(text) is not None and not problem else None
    if seen.milestone == "customs_started" and (not problem or _CUSTOMS_SUPPLIED.search(text) is not None):
        return None
    return "customs_held"
