using System.ComponentModel.DataAnnotations;

namespace EmotionLab.Web.Components.Account;

/// <summary>What the sign-in and setup forms post.</summary>
public sealed class SignInForm
{
    [Required(ErrorMessage = "give your user name")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "give your password")]
    public string Password { get; set; } = "";
}
