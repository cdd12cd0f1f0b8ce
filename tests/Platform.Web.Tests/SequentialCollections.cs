// Both fixtures host the web app with its in-process worker, and Quartz keeps one scheduler per
// name per process ("EmotionLab", which every node of a cluster shares): two apps alive at once
// would share one scheduler and its database. So the collections run one after the other, which
// also suits the two cores the tests share with the trainer processes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
