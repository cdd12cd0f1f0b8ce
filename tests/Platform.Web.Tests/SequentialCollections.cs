// Both fixtures host the web app with its in-process worker node, which trains in child processes:
// the collections run one after the other, which suits the two cores the tests share with the trainers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
