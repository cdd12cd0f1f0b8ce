using EmotionLab.Models.Families.JointVector;
using EmotionLab.Models.Knowledge;
using EmotionLab.Models.Text;

namespace EmotionLab.Models.Tests.Families.JointVector;

public sealed class KwrtTaggerTests
{
    /// <summary>A handful of ConceptNet-style relations over EmoSynth's words (Phrasebook), and relation kinds KWRT must ignore.</summary>
    private sealed class TinyRelations : IWordRelations
    {
        public List<string> Asked { get; } = [];

        private static readonly Dictionary<string, WordRelation[]> Known = new()
        {
            ["party"] = [new("IsA", "celebration"), new("Causes", "happy"), new("HasContext", "surprise"), new("RelatedTo", "cake")],
            ["surprise"] = [new("IsA", "emotion"), new("Causes", "happy")],
            ["happy"] = [new("IsA", "feeling"), new("HasContext", "party")],
            ["lonely"] = [new("IsA", "feeling"), new("Causes", "sad"), new("HasContext", "alone")],
            ["alone"] = [new("IsA", "state"), new("HasContext", "lonely"), new("Causes", "lonely")],
            ["cake"] = [new("RelatedTo", "party"), new("AtLocation", "party")],
        };

        public IReadOnlyList<WordRelation> Of(string word, int max)
        {
            Asked.Add(word);
            return Known.TryGetValue(word, out var relations) ? relations.Take(max).ToArray() : [];
        }
    }

    // Three turns with speaker tokens, as the dataset builds them.
    private static readonly string[] Dialogue =
        ["[SPK0]", .. WordTokenizer.Tokenize("What a lovely surprise party!"),
         "[SPK1]", .. WordTokenizer.Tokenize("I am so happy, the party was a surprise."),
         "[SPK0]", .. WordTokenizer.Tokenize("I felt lonely and alone before the party, with no cake.")];

    private static int At(string word, int occurrence = 0) => Dialogue.Select((w, i) => (w, i)).Where(p => p.w == word).ElementAt(occurrence).i;

    [Fact]
    public void Recurrence_marks_the_same_content_word_off_the_diagonal_and_ignores_function_words()
    {
        var tags = new KwrtTagger(relations: null, relationsPerWord: 50).Tag(Dialogue);
        Assert.Equal(Dialogue.Length, tags.Count);

        // "party" three times, "surprise" twice: each occurrence recurs with the others, never with itself.
        var parties = Enumerable.Range(0, 3).Select(n => At("party", n)).ToArray();
        foreach (var i in parties)
        foreach (var j in parties)
            Assert.Equal(i == j ? 0 : 1, tags.Recurrence[i, j]);
        Assert.Equal(1, tags.Recurrence[At("surprise"), At("surprise", 1)]);
        Assert.Equal(2f, tags.Scores[At("party", 1)]);
        Assert.Equal(1f, tags.Scores[At("surprise", 1)]);

        // Function words ("a", "the", "i" twice), punctuation and speaker tokens repeat too, but are never tagged.
        foreach (var word in new[] { "a", "the", "i", "[SPK0]", "!", "." })
            Assert.All(Dialogue.Select((w, i) => (w, i)).Where(p => p.w == word), p => Assert.Equal(0f, tags.Scores[p.i]));
        Assert.Equal(0, tags.Recurrence[At("i"), At("i", 1)]);

        // Without relations KWRT is recurrence only, and M is M_rec.
        Assert.All(Enumerable.Range(0, tags.Count), i => Assert.Equal(0, Enumerable.Range(0, tags.Count).Sum(j => tags.Relations[i, j])));
        Assert.Equal(Sum(tags.Recurrence), Sum(tags.Importance));
        Assert.Equal(0f, tags.Scores[At("lonely")]);
    }

    [Fact]
    public void Relations_are_looked_up_for_content_words_counted_both_ways_and_capped_at_three()
    {
        var relations = new TinyRelations();
        var tags = new KwrtTagger(relations, relationsPerWord: 50).Tag(Dialogue);

        // surprise-party: party HasContext surprise (1); party-happy: party Causes happy, happy HasContext party (2).
        Assert.Equal(1, tags.Relations[At("surprise"), At("party")]);
        Assert.Equal(1, tags.Relations[At("party"), At("surprise")]);
        Assert.Equal(2, tags.Relations[At("party"), At("happy")]);
        // lonely-alone: lonely HasContext alone, alone HasContext lonely, alone Causes lonely: 3, the cap.
        Assert.Equal(3, tags.Relations[At("lonely"), At("alone")]);
        // cake-party is RelatedTo / AtLocation only: not a relation KWRT reads.
        Assert.Equal(0, tags.Relations[At("cake"), At("party", 2)]);
        // The same word twice is recurrence, not a relation.
        Assert.Equal(0, tags.Relations[At("party"), At("party", 1)]);
        Assert.Equal(1, tags.Importance[At("party"), At("party", 1)]);

        // M = M_rec + M_rel, and a word's score is its row of M.
        for (var i = 0; i < tags.Count; i++)
        {
            for (var j = 0; j < tags.Count; j++) Assert.Equal(tags.Recurrence[i, j] + tags.Relations[i, j], tags.Importance[i, j]);
            Assert.Equal(Enumerable.Range(0, tags.Count).Sum(j => tags.Importance[i, j]), tags.Scores[i]);
        }
        // happy: party x3 (2 each) + surprise x2 (1 each, surprise Causes happy) = 8.
        Assert.Equal(8f, tags.Scores[At("happy")]);

        // Only content words are looked up, each once.
        Assert.DoesNotContain("the", relations.Asked);
        Assert.DoesNotContain("[SPK0]", relations.Asked);
        Assert.Equal(relations.Asked.Distinct().Count(), relations.Asked.Count);
        Assert.Contains("lovely", relations.Asked);
    }

    [Fact]
    public void A_cap_beyond_three_relations_per_pair_holds_with_many_relation_kinds()
    {
        var many = new TinyRelationsOf(new()
        {
            ["storm"] = [new("IsA", "rain"), new("Causes", "rain"), new("HasContext", "rain")],
            ["rain"] = [new("IsA", "storm"), new("Causes", "storm")],
        });
        var tags = new KwrtTagger(many, 50).Tag(["storm", "rain"]);
        Assert.Equal(KwrtTagger.RelationCap, tags.Relations[0, 1]);
        Assert.Equal(3f, tags.Scores[1]);
    }

    private sealed class TinyRelationsOf(Dictionary<string, WordRelation[]> known) : IWordRelations
    {
        public IReadOnlyList<WordRelation> Of(string word, int max) => known.TryGetValue(word, out var r) ? r.Take(max).ToArray() : [];
    }

    private static int Sum(int[,] m)
    {
        var s = 0;
        foreach (var v in m) s += v;
        return s;
    }
}
