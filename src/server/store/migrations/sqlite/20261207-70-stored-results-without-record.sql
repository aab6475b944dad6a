-- A stored push result keeps the answer only, never record content (docs/privacy.md): the record a
-- `conflict` answer carried (note, consent, review comment) was stored with it and outlived a
-- data-subject erase. A retry is now answered with the record as it then stands.
UPDATE mutation_results SET result = json_remove(result, '$.record')
 WHERE json_type(result, '$.record') IS NOT NULL;
