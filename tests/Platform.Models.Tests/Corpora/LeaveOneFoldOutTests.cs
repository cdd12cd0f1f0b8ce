using EmotionLab.Models.Corpora;
using EmotionLab.Models.Experiments;

namespace EmotionLab.Models.Tests.Corpora;

/// <summary>Leave-one-fold-out on IEMOCAP (sessions 1, 2 and 5 of the small tree): one session is the test split, the others train and validate.</summary>
public sealed class LeaveOneFoldOutTests(IemocapTreeFixture tree) : IClassFixture<IemocapTreeFixture>
{
    [Fact]
    public void The_held_out_session_is_the_test_split_and_no_other_session_is()
    {
        Assert.Equal([1, 2, 5], tree.Corpus.Folds);
        foreach (var fold in tree.Corpus.Folds)
        {
            var split = tree.Corpus.HoldingOutFold(fold);
            Assert.Equal(tree.Corpus.Utterances.Where(u => u.Fold == fold).Select(u => u.Key), split.Utterances.Where(u => u.Split == "test").Select(u => u.Key));
            Assert.All(split.Utterances.Where(u => u.Fold != fold), u => Assert.Contains(u.Split, new[] { "train", "valid" }));
            Assert.All(split.Dialogues, d => Assert.All(d.Utterances, u => Assert.Equal(d.Split, u.Split)));
            Assert.Equal(tree.Corpus.Utterances.Select(u => u.Key), split.Utterances.Select(u => u.Key));
        }
    }

    [Fact]
    public void Holding_out_session_5_is_the_corpus_own_erc_split()
    {
        var split = tree.Corpus.HoldingOutFold(IemocapErcSplit.TestSession);
        Assert.Equal(tree.Corpus.Utterances.Select(u => (u.Key, u.Split)), split.Utterances.Select(u => (u.Key, u.Split)));
    }

    [Fact]
    public void Validation_dialogues_are_every_tenth_of_the_other_sessions_by_name()
    {
        var dialogues = Enumerable.Range(1, 5).SelectMany(s => Enumerable.Range(1, 11).Select(d => ($"Ses0{s}F_impro{d:00}", s))).ToArray();
        var splits = IemocapErcSplit.Assign(dialogues, testSession: 3);
        Assert.All(dialogues.Where(d => d.s == 3), d => Assert.Equal("test", splits[d.Item1]));
        var training = dialogues.Where(d => d.s != 3).Select(d => d.Item1).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(training.Where((_, i) => (i + 1) % 10 == 0), training.Where(d => splits[d] == "valid"));
        Assert.Equal(4, training.Count(d => splits[d] == "valid"));
    }

    [Fact]
    public void A_fold_the_corpus_lacks_is_refused_with_its_folds_named()
    {
        var missing = Assert.Throws<ArgumentException>(() => tree.Corpus.HoldingOutFold(3));
        Assert.Contains("has no fold 3; its folds are 1, 2, 5", missing.Message);

        var noFolds = new Corpus("meld", "/m", [new Dialogue("meld-train-dia0", "train", null, [])]);
        Assert.Contains("has no folds", Assert.Throws<ArgumentException>(() => noFolds.HoldingOutFold(1)).Message);
    }

    [Fact]
    public void Folds_share_feature_caches_but_runs_record_their_own_split()
    {
        var fold1 = tree.Corpus.HoldingOutFold(1);
        var fold2 = tree.Corpus.HoldingOutFold(2);
        Assert.Equal(CorpusFingerprint.Content(fold1), CorpusFingerprint.Content(fold2));
        Assert.NotEqual(CorpusFingerprint.Compute(fold1), CorpusFingerprint.Compute(fold2));
    }

    [Fact]
    public void A_test_fold_below_one_is_a_problem_of_its_field()
    {
        var spec = new ExperimentSpec
        {
            Corpus = "iemocap", LabelSet = "iemocap4", Baselines = new EmotionLab.Models.Families.Baselines.BaselinesConfig(), TestFold = 0,
        };
        Assert.Contains(ExperimentSpecValidator.Validate(spec), p => p.Field == "testFold");
        Assert.DoesNotContain(ExperimentSpecValidator.Validate(spec with { TestFold = 5 }), p => p.Field == "testFold");
    }
}
