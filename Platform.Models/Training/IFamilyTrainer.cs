namespace EmotionLab.Models.Training;

/// <summary>
/// How one family turns a validated spec and an imported corpus into a trained run: it prepares
/// its data (features, vocabularies, knowledge), builds its model and calls <see cref="Trainer.Run{TBatch}"/>.
/// The worker picks the trainer from <see cref="Experiments.FamilyCatalog"/> and knows nothing else of the family.
/// </summary>
public interface IFamilyTrainer
{
    TrainingOutcome Train(FamilyRunContext context);
}
