"""``isodocs pack``: the certification audit pack (manual and evidence as PDF) of one git revision.

``build.build_pack`` writes it, ``archive.verify_pack`` checks one. WeasyPrint and
pypdf (the ``pack`` extra) are imported only when a pack is written.
"""
