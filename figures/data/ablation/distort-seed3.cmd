build/cc-native/lenet train --data data/mnist --arch paper --distort --passes 10 --seed 3  --model build/ablation/distort-seed3.model --log figures/data/ablation/distort-seed3.csv
