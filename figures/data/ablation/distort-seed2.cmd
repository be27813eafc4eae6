build/cc-native/lenet train --data data/mnist --arch paper --distort --passes 10 --seed 2  --model build/ablation/distort-seed2.model --log figures/data/ablation/distort-seed2.csv
