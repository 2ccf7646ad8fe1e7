"""Doors a restore left unconfirmed (brief restore43, issue 18; ADR 0057).

After `lockerd restore`, every compartment the backup shows empty may hold a parcel the replaced unit stored
after the backup was taken. `compartments.unconfirmed` = 1 keeps such a door out of deposits until staff
confirm it empty (or record the parcel found in it) on the console's reconcile page. A backup older than this
schema is restored with `meta['restore.unconfirm_pending']` set (edge/cli/backup.py): this migration then marks
its doors, once.
"""

SQL = """
ALTER TABLE compartments ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0;
UPDATE compartments SET unconfirmed = 1
 WHERE configured = 1 AND state IN ('free','disabled','fault')
   AND EXISTS (SELECT 1 FROM meta WHERE key = 'restore.unconfirm_pending')
   AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.compartment_id = compartments.id
                   AND p.state IN ('depositing','stored'));
DELETE FROM meta WHERE key = 'restore.unconfirm_pending';
"""
