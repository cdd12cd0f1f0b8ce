using EmotionLab.Models.Corpora;

namespace EmotionLab.Models.Tests.Corpora;

public sealed class Cp1252RepairTests
{
    [Fact]
    public void C1_controls_become_their_cp1252_characters_and_the_rest_is_untouched() =>
        Assert.Equal("it\u2019s \u201Cok\u201D \u2013 \u2026 \u20AC5 \u00e9 \u0081", Cp1252Repair.Fix("it\u0092s \u0093ok\u0094 \u0096 \u0085 \u00805 \u00e9 \u0081"));
}
