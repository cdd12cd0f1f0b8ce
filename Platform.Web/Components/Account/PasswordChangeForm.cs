using System.ComponentModel.DataAnnotations;

namespace EmotionLab.Web.Components.Account;

/// <summary>What the password form posts.</summary>
public sealed class PasswordChangeForm
{
    [Required(ErrorMessage = "give your current password")]
    public string Current { get; set; } = "";

    [Required(ErrorMessage = "give a new password")]
    public string New { get; set; } = "";
}
