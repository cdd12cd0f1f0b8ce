using EmotionLab.Models.Knowledge;

namespace EmotionLab.Models.Tests.Knowledge;

/// <summary>The loaded index as KWRT sees it (<see cref="IWordRelations"/>), and opening without an import.</summary>
public sealed class ConceptNetIndexTests : IDisposable
{
    private readonly string artifacts = Directory.CreateTempSubdirectory("emotionlab-conceptnet-index-").FullName;

    public void Dispose() => Directory.Delete(artifacts, recursive: true);

    private ConceptNetIndex ImportSample()
    {
        ConceptNetImporter.Import(ConceptNetImporterTests.Sample, artifacts);
        return ConceptNetIndex.TryOpen(artifacts) ?? throw new InvalidOperationException("no index after the import");
    }

    [Fact]
    public void TryOpen_without_an_import_is_null()
    {
        Assert.Null(ConceptNetIndex.TryOpen(artifacts));
        Assert.Null(ConceptNetIndex.TryOpen(Path.Combine(artifacts, "never-created")));
    }

    [Fact]
    public void Of_gives_a_words_relations_strongest_first_at_most_max()
    {
        IWordRelations relations = ImportSample();

        // surprise has four: emotion 3.464, then feeling and event tied at 2.0 in file order, then laughter 1.0.
        Assert.Equal([new("IsA", "emotion"), new("IsA", "feeling"), new("IsA", "event")], relations.Of("surprise", 3));
        Assert.Equal([new("IsA", "emotion"), new("IsA", "feeling"), new("IsA", "event"), new WordRelation("Causes", "laughter")],
            relations.Of("surprise", 10));
        Assert.Equal([new WordRelation("IsA", "emotion")], relations.Of("surprise", 1));
        Assert.Empty(relations.Of("surprise", 0));
        Assert.Equal([new("IsA", "gathering"), new("IsA", "organization"), new WordRelation("Causes", "fun")], relations.Of("party", 3));
        Assert.Equal([new("IsA", "emotion"), new WordRelation("IsA", "positive emotion")], relations.Of("joy", 3));
        Assert.Equal([new("HasContext", "uk"), new WordRelation("HasContext", "slang")], relations.Of("filth", 3));
        Assert.Equal([new WordRelation("IsA", "party")], relations.Of("surprise party", 3));
    }

    [Fact]
    public void Words_without_relations_give_an_empty_list_and_lookups_ignore_case()
    {
        var index = ImportSample();

        Assert.Empty(index.Of("kangaroo", 3));
        Assert.Empty(index.Of("happy", 3)); // only in a Synonym and an Antonym line
        Assert.Empty(index.Of("", 3));
        Assert.Equal(index.Of("love", 3), index.Of("Love", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Of("love", -1));
        Assert.Equal((15, 28), (index.WordCount, index.RelationCount));
    }

    [Fact]
    public void The_lists_it_returns_cannot_change_the_index()
    {
        var index = ImportSample();

        var list = Assert.IsAssignableFrom<IList<WordRelation>>(index.Of("love", 3));
        Assert.True(list.IsReadOnly);
        Assert.Throws<NotSupportedException>(() => list[0] = new WordRelation("IsA", "changed"));
        Assert.Equal("emotion", index.Of("love", 3)[0].Concept);
    }

    [Fact]
    public void The_order_comes_from_the_weights_not_from_the_order_of_the_lines_in_the_index()
    {
        var path = ConceptNetIndexFile.PathIn(artifacts);
        ConceptNetIndexFile.Write(path, [new("joy", "IsA", "feeling", 1), new("joy", "Causes", "smile", 2.5), new("joy", "HasContext", "poetry", 1)]);

        var index = ConceptNetIndex.Load(path);

        Assert.Equal([new("Causes", "smile"), new("IsA", "feeling"), new WordRelation("HasContext", "poetry")], index.Of("joy", 3));
    }

    [Fact]
    public void A_damaged_index_names_its_line()
    {
        var path = ConceptNetIndexFile.PathIn(artifacts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, ConceptNetIndexFile.Header + "\njoy\tIsA\tfeeling\t2\njoy\tIsA\tfeeling\n");

        var error = Assert.Throws<InvalidDataException>(() => ConceptNetIndex.TryOpen(artifacts));
        Assert.StartsWith($"{path} line 3:", error.Message);

        File.WriteAllText(path, ConceptNetIndexFile.Header + "\njoy\tIsA\tfeeling\t2\nlove\tIsA\temotion\t2\njoy\tCauses\tsmile\t1\n");
        Assert.Equal($"{path}: the lines of 'joy' are not together: import ConceptNet again", Assert.Throws<InvalidDataException>(() => ConceptNetIndex.Load(path)).Message);

        File.WriteAllText(path, "word\trelation\tconcept\tweight\n");
        Assert.StartsWith($"{path} line 1: not an EmotionLab ConceptNet index", Assert.Throws<InvalidDataException>(() => ConceptNetIndex.Load(path)).Message);
    }
}
