namespace EmotionLab.Data.Accounts;

/// <summary>
/// The three roles of a lab. Admins manage users and workers and may change anything; members queue
/// work and change their own; viewers read everything and change nothing.
/// </summary>
public static class LabRoles
{
    public const string Admin = "admin";
    public const string Member = "member";
    public const string Viewer = "viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Member, Viewer];
}
