namespace EmotionLab.Web.Accounts;

/// <summary>The account pages' addresses.</summary>
public static class AccountPaths
{
    public const string SignIn = "/account/signin";
    public const string SignOut = "/account/signout";
    public const string Setup = "/account/setup";
    public const string Denied = "/account/denied";
    public const string Account = "/account";
}
