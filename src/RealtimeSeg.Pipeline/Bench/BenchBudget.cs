namespace RealtimeSeg.Pipeline.Bench;


