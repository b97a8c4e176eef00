"""Pages of the partners edge, split by audience: `partner` (a partner's own people and admins), `owner`
(sharing decisions), `officer` (invitations), `feeds` (the product feeds that feed readers fetch)."""
