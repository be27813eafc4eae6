build/cc-native/lenet train --data data/mnist --arch paper --distort --passes 10 --seed 1  --model build/ablation/distort-seed1.model --log figures/data/ablation/distort-seed1.csv
