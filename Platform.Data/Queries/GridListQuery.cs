using Microsoft.EntityFrameworkCore;

namespace EmotionLab.Data.Queries;

/// <summary>
/// The newest grids with their run counts, optionally of one project or one owner; the counts come
/// from the (grid_id, id) index of runs.
/// </summary>
public sealed class GridListQuery(EmotionLabDbContext db)
{
    public const int Limit = 200;

    public async Task<IReadOnlyList<GridListItem>> ExecuteAsync(long? projectId = null, long? ownerId = null, CancellationToken cancellation = default) =>
        await db.Database.SqlQuery<GridListItem>($"""
            SELECT g.id AS "Id", g.name AS "Name", g.family AS "Family", g.created_at AS "CreatedAt",
                   cardinality(g.seeds) AS "Seeds", g.project_id AS "ProjectId", p.name AS "ProjectName", g.owner_id AS "OwnerId", u.user_name AS "OwnerName",
                   c.variants AS "Variants", c.runs AS "Runs", c.succeeded AS "Succeeded", c.failed AS "Failed", c.active AS "Active"
            FROM (SELECT * FROM grids
                  WHERE ({projectId}::bigint IS NULL OR project_id = {projectId}) AND ({ownerId}::bigint IS NULL OR owner_id = {ownerId})
                  ORDER BY id DESC LIMIT {Limit}) g
            LEFT JOIN projects p ON p.id = g.project_id
            LEFT JOIN users u ON u.id = g.owner_id
            CROSS JOIN LATERAL (
                SELECT count(*)::int AS runs, count(DISTINCT r.variant)::int AS variants,
                       count(*) FILTER (WHERE r.status = 'Succeeded')::int AS succeeded,
                       count(*) FILTER (WHERE r.status = 'Failed')::int AS failed,
                       count(*) FILTER (WHERE r.status IN ('Queued', 'Running'))::int AS active
                FROM runs r WHERE r.grid_id = g.id) c
            ORDER BY g.id DESC
            """).ToListAsync(cancellation);
}
