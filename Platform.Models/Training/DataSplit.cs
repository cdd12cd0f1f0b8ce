namespace EmotionLab.Models.Training;

/// <summary>The three roles a split plays in a run: fit on Train, select on Validation (MELD dev, IEMOCAP valid), report Test.</summary>
public enum DataSplit { Train, Validation, Test }
