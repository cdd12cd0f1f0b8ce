using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Families.JointVector;

/// <summary>One block of the second fusion step: the language stream and the mel (visual) stream in, both updated out, lengths and padding unchanged.</summary>
public interface IFusionBlock
{
    (Tensor Language, Tensor Visual) Forward(Tensor language, Tensor languagePadding, Tensor visual, Tensor visualPadding);
}
